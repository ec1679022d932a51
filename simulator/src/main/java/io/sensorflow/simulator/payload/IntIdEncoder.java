package io.sensorflow.simulator.payload;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.oracle.Tenths;
import io.sensorflow.simulator.payload.JsonField.Role;
import java.util.ArrayList;
import java.util.List;

/** {@code {"sensor_id":42,"temperature":21.0,"humidity":48.0,"timestamp":"2026-11-21 08:15:03"}} (UTC). */
public final class IntIdEncoder implements PayloadEncoder {

    private static final byte[] TEMPERATURE = "\"temperature\":".getBytes(US_ASCII);
    private static final byte[] HUMIDITY = ",\"humidity\":".getBytes(US_ASCII);
    private static final byte[] TIMESTAMP = ",\"timestamp\":\"".getBytes(US_ASCII);

    private final SensorIds ids;
    /** Per sensor: {@code {"sensor_id":42,}. */
    private final byte[][] heads;
    private final TimestampText time = new TimestampText();

    public IntIdEncoder(SensorIds ids) {
        this.ids = ids;
        heads = new byte[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            heads[i] = ("{\"sensor_id\":" + ids.id(i) + ",").getBytes(US_ASCII);
        }
    }

    @Override
    public void encode(MessageFacts f, ByteBuf out) {
        out.put(heads[f.sensor()]);
        out.put(TEMPERATURE).putTenths(f.value(Measurement.TEMPERATURE));
        out.put(HUMIDITY).putTenths(f.value(Measurement.HUMIDITY));
        out.put(TIMESTAMP);
        time.writeSql(f.eventTime(), out);
        out.put((byte) '"').put((byte) '}');
    }

    @Override
    public List<JsonField> fields(MessageFacts f) {
        List<JsonField> fields = new ArrayList<>(4);
        fields.add(new JsonField("sensor_id", Role.SENSOR_ID, ids.id(f.sensor())));
        fields.add(new JsonField("temperature", Role.MEASUREMENT, Tenths.toText(f.value(Measurement.TEMPERATURE))));
        fields.add(new JsonField("humidity", Role.MEASUREMENT, Tenths.toText(f.value(Measurement.HUMIDITY))));
        fields.add(new JsonField("timestamp", Role.TIMESTAMP, timestampJson(f.eventTime())));
        return fields;
    }

    @Override
    public String timestampJson(long epochMs) {
        return JsonField.quote(time.sql(epochMs));
    }
}
