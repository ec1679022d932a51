package io.sensorflow.rules;

/** A measurement a rule can watch, by its name in the reading format. */
public enum Metric {
    TEMPERATURE("temperature"), HUMIDITY("humidity"), DISTANCE_CM("distance_cm");

    private final String fieldName;

    Metric(String fieldName) {
        this.fieldName = fieldName;
    }

    public String fieldName() {
        return fieldName;
    }

    static Metric ofField(String name) {
        for (Metric m : values()) {
            if (m.fieldName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name); // the schema lets only known names through
    }
}
