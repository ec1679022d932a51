package io.sensorflow.job.config;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How alerts reach the alerts topic. The alerts table is written the same way in both: FIRING
 * inserted once, RESOLVED upserted, so a replayed alert does not change it.
 */
public enum AlertsDelivery {
    /** Readable only once the checkpoint after it commits its Kafka transaction: up to an interval later. */
    EXACTLY_ONCE("exactly-once", DeliveryGuarantee.EXACTLY_ONCE),
    /**
     * The default: readable as soon as it is decided. After a failure the alerts since the last
     * checkpoint come again as the same records, so a consumer that must act once keeps the
     * (alert_id, status) pairs it has seen.
     */
    AT_LEAST_ONCE("at-least-once", DeliveryGuarantee.AT_LEAST_ONCE);

    public final String name;
    public final DeliveryGuarantee guarantee;

    AlertsDelivery(String name, DeliveryGuarantee guarantee) {
        this.name = name;
        this.guarantee = guarantee;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Reads the names users write: exactly-once, at-least-once. */
    public static final class Converter implements ITypeConverter<AlertsDelivery> {
        @Override
        public AlertsDelivery convert(String value) {
            for (AlertsDelivery d : values()) {
                if (d.name.equals(value)) {
                    return d;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of "
                    + Arrays.stream(values()).map(d -> d.name).collect(Collectors.joining(", ")));
        }
    }
}
