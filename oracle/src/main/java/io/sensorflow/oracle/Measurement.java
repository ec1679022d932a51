package io.sensorflow.oracle;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A numeric measurement, its JSON field name and its physical range. Values travel as integer
 * tenths (21.4 is 214): every value the sensors produce has at most one decimal.
 */
public enum Measurement {
    TEMPERATURE("temperature", -400, 1250),
    HUMIDITY("humidity", 0, 1000),
    DISTANCE_CM("distance_cm", 20, 4000);

    private final String field;
    private final int minTenths;
    private final int maxTenths;

    Measurement(String field, int minTenths, int maxTenths) {
        this.field = field;
        this.minTenths = minTenths;
        this.maxTenths = maxTenths;
    }

    /** The JSON field name, also the name used in options and scenario files. */
    public String field() {
        return field;
    }

    public int minTenths() {
        return minTenths;
    }

    public int maxTenths() {
        return maxTenths;
    }

    public boolean inRange(int tenths) {
        return tenths >= minTenths && tenths <= maxTenths;
    }

    public int clamp(int tenths) {
        return Math.max(minTenths, Math.min(maxTenths, tenths));
    }

    /** The physical range as text, e.g. {@code -40.0..125.0}. */
    public String rangeText() {
        return Tenths.toText(minTenths) + ".." + Tenths.toText(maxTenths);
    }

    public static Measurement fromField(String name) {
        for (Measurement m : values()) {
            if (m.field.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Measurement::field).collect(Collectors.joining(", "));
    }
}
