package io.sensorflow.simulator;

import io.sensorflow.oracle.SensorIds;
import io.sensorflow.simulator.payload.DeviceEpochEncoder;
import io.sensorflow.simulator.payload.IntIdEncoder;
import io.sensorflow.simulator.payload.PayloadEncoder;
import io.sensorflow.simulator.payload.SensorflowEncoder;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The JSON shapes the simulator writes, and what each carries. */
public enum PayloadFormat {
    /**
     * {@code {"sensor_id":"sensor-00042","ts":"2026-11-21T08:15:03.120Z","temperature":21.0,
     * "humidity":48.0,"distance_cm":132.5,"motion":false,"seq":18231}}.
     */
    SENSORFLOW("sensorflow", "sensor-", 5, true, false, SensorflowEncoder::new),
    /** {@code {"device_id":"device_42","temperature":21.0,"humidity":48.0,"timestamp":1763712000}} (epoch seconds). */
    DEVICE_EPOCH("device-epoch", "device_", 0, false, true, DeviceEpochEncoder::new),
    /** {@code {"sensor_id":42,"temperature":21.0,"humidity":48.0,"timestamp":"2026-11-21 08:15:03"}} (UTC). */
    INT_ID("int-id", "", 0, false, true, IntIdEncoder::new);

    private final String cliName;
    private final String defaultPrefix;
    private final int defaultWidth;
    private final boolean full;
    private final boolean wholeSeconds;
    private final Function<SensorIds, PayloadEncoder> encoderFactory;

    PayloadFormat(String cliName, String defaultPrefix, int defaultWidth, boolean full, boolean wholeSeconds,
            Function<SensorIds, PayloadEncoder> encoderFactory) {
        this.cliName = cliName;
        this.defaultPrefix = defaultPrefix;
        this.defaultWidth = defaultWidth;
        this.full = full;
        this.wholeSeconds = wholeSeconds;
        this.encoderFactory = encoderFactory;
    }

    public String cliName() {
        return cliName;
    }

    public String defaultPrefix() {
        return defaultPrefix;
    }

    public int defaultWidth() {
        return defaultWidth;
    }

    /** Whether payloads carry seq, distance_cm and motion (only the sensorflow format does). */
    public boolean carriesSeqDistanceAndMotion() {
        return full;
    }

    /** Whether sensor ids are integers (no prefix). */
    public boolean integerIds() {
        return this == INT_ID;
    }

    /** The event time the payload states for a sensor clock reading: whole seconds or milliseconds. */
    public long eventTime(long clockMs) {
        return wholeSeconds ? Math.floorDiv(clockMs, 1000L) * 1000L : clockMs;
    }

    public boolean wholeSeconds() {
        return wholeSeconds;
    }

    public PayloadEncoder encoder(SensorIds ids) {
        return encoderFactory.apply(ids);
    }

    public static PayloadFormat fromCliName(String name) {
        for (PayloadFormat f : values()) {
            if (f.cliName.equals(name) || f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(PayloadFormat::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
