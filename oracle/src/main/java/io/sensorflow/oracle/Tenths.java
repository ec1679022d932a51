package io.sensorflow.oracle;

import java.math.BigDecimal;

/** Values with one decimal, held as integer tenths. */
public final class Tenths {

    private Tenths() {}

    public static double toDouble(long tenths) {
        return tenths / 10.0;
    }

    public static String toText(long tenths) {
        long abs = Math.abs(tenths);
        return (tenths < 0 ? "-" : "") + (abs / 10) + "." + (abs % 10);
    }

    /**
     * Parses a decimal with at most one fractional digit, e.g. {@code 80}, {@code -3.5}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static int parse(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        BigDecimal scaled = d.movePointRight(1);
        if (scaled.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' has more than one decimal");
        }
        try {
            return scaled.intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
