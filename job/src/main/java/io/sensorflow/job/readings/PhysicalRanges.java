package io.sensorflow.job.readings;

import java.io.Serializable;

/** The values a sensor can physically report; anything outside is a faulty reading. */
public final class PhysicalRanges implements Serializable {

    private static final long serialVersionUID = 1L;

    /** DHT11 and HC-SR04 data-sheet limits, widened to the common DHT22 range for temperature. */
    public static final PhysicalRanges DEFAULTS = new PhysicalRanges(
            Range.of(-40, 125), Range.of(0, 100), Range.of(2, 400));

    public final Range temperature;
    public final Range humidity;
    public final Range distanceCm;

    public PhysicalRanges(Range temperature, Range humidity, Range distanceCm) {
        this.temperature = temperature;
        this.humidity = humidity;
        this.distanceCm = distanceCm;
    }

    /** An inclusive range of doubles. */
    public static final class Range implements Serializable {
        private static final long serialVersionUID = 1L;

        public final double min;
        public final double max;

        private Range(double min, double max) {
            this.min = min;
            this.max = max;
        }

        public static Range of(double min, double max) {
            if (!(min <= max)) {
                throw new IllegalArgumentException("the minimum " + min + " is above the maximum " + max);
            }
            return new Range(min, max);
        }

        /** Reads {@code MIN..MAX}, e.g. {@code -40..125}. */
        public static Range parse(String text) {
            int dots = text.indexOf("..");
            if (dots < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a range like -40..125");
            }
            try {
                return of(Double.parseDouble(text.substring(0, dots).trim()),
                        Double.parseDouble(text.substring(dots + 2).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a range like -40..125");
            }
        }

        public boolean contains(double v) {
            return v >= min && v <= max;
        }

        @Override
        public String toString() {
            return fmt(min) + ".." + fmt(max);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
