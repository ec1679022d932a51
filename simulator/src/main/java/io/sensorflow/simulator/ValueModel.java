package io.sensorflow.simulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where the readings' temperature and humidity come from. */
public enum ValueModel {
    /** DHT11 sensors: whole degrees and percent drifting slowly around each sensor's own base. */
    DHT11("dht11"),
    /**
     * What the inspiration project's Python producer sends: every reading independent, temperature
     * uniform in 20.0..80.0 °C and humidity in 30.0..90.0 % (here in tenths; it sends hundredths).
     * About one reading in six is above 70 °C, and nearly every one is 10 °C above another of the
     * last minutes: a workload for the alert rules at their worst.
     */
    UNIFORM("uniform"),
    /**
     * An alert storm under the shipped rules: each sensor repeats a cycle of {@value #STORM_CYCLE}
     * readings, {@value #STORM_RUN} at 75.0 °C then the rest at 20.0 °C (humidity 50.0 %), its
     * place in the cycle offset by its number. At a reading every 10 s, each run fires
     * temperature-extreme-run and temperature-rapid-rise, both resolve 10 readings later, and the
     * next run comes just after their 15-minute cooldown: alerts as fast as the shipped rules allow,
     * on every sensor, all the time.
     */
    STORM("storm");

    /** Readings in a sensor's cycle under {@link #STORM}. */
    public static final int STORM_CYCLE = 108;
    /** Readings at 75 °C at the start of each {@link #STORM} cycle. */
    public static final int STORM_RUN = 3;

    private final String cliName;

    ValueModel(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static ValueModel fromCliName(String name) {
        for (ValueModel m : values()) {
            if (m.cliName.equals(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown value model '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(ValueModel::cliName).collect(Collectors.joining(", "));
    }
}
