package io.sensorflow.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads durations as people write them on a command line: {@code 250ms}, {@code 1s}, {@code 1.5s},
 * {@code 15m}, {@code 2h}, {@code 1d}, {@code 0}, or ISO-8601 ({@code PT15M}); a leading {@code -} negates.
 */
public final class Durations {

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        int unitStart = s.length();
        while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
            unitStart--;
        }
        String number = s.substring(0, unitStart);
        String unit = s.substring(unitStart);
        long nanosPerUnit;
        switch (unit) {
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": case "min": nanosPerUnit = 60_000_000_000L; break;
            case "h": nanosPerUnit = 3_600_000_000_000L; break;
            case "d": nanosPerUnit = 86_400_000_000_000L; break;
            default: throw invalid(text);
        }
        try {
            java.math.BigDecimal n = new java.math.BigDecimal(number);
            long nanos = n.multiply(java.math.BigDecimal.valueOf(nanosPerUnit)).longValueExact();
            return Duration.ofNanos(nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(text);
        }
    }

    /** The shortest of the forms {@link #parse} reads, e.g. {@code 15m}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return (ms / units[i]) + names[i];
            }
        }
        return ms + "ms";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 1s, 15m, 2h, 1d, PT15M)");
    }
}
