package io.sensorflow.durations;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way durations are written in sensorflow: on the command line of the job, the bridge, the simulator and
 * run-local, in their environment variables and properties files, in scenario files and in rule files.
 *
 * <p>The grammar ({@link #SYNTAX}):
 * <ul>
 *   <li>a number and a unit: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 15m}, {@code 15min}, {@code 2h},
 *       {@code 1d}. The number is digits, with a fraction if wanted ({@code 0.5s}); the unit is {@code ms},
 *       {@code s}, {@code m} or {@code min} (minutes), {@code h} or {@code d} (24 hours), in any case ({@code 10S});
 *       spaces may stand between them ({@code 10 s});
 *   <li>{@code 0} alone;
 *   <li>ISO-8601 as {@link Duration#parse} reads it: {@code PT15M}, {@code PT0.5S}, {@code P1DT2H}, in any case;
 *   <li>a leading {@code -} makes any of them negative; each setting says whether it takes a negative or zero
 *       duration.
 * </ul>
 * A duration is exact to the nanosecond ({@code 0.0000000001s} is refused, not rounded) and at most about 292 million
 * years (what fits a long of milliseconds). Nothing else is a duration: no unit is no duration ({@code 15}, except
 * {@code 0}), nor are compounds ({@code 1h30m}: write {@code 90m} or {@code PT1H30M}) or other words ({@code 5sec}).
 * {@link #parse} takes the text as it is; {@link DurationConverter} (the command line) ignores spaces around it.
 */
public final class Durations {

    /** How durations are written, for --help texts. */
    public static final String SYNTAX = "a number and a unit (500ms, 1.5s, 15m or 15min, 2h, 1d), 0, or ISO-8601 (PT15M)";

    private static final Pattern NUMBER_AND_UNIT =
            Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)", Pattern.CASE_INSENSITIVE);
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int SHOWN = 40;

    private Durations() {}

    /**
     * Reads a duration written as {@link #SYNTAX}.
     *
     * @throws IllegalArgumentException "'TEXT' is not a duration ...", the same message for every mistake
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw invalid("", "");
        }
        Duration d = read(text);
        try {
            d.toMillis();
        } catch (ArithmeticException e) {
            throw invalid(text, " (too long)");
        }
        return d;
    }

    private static Duration read(String text) {
        if (text.equals("0") || text.equals("-0")) {
            return Duration.ZERO;
        }
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (m.matches()) {
            long nanosPerUnit = switch (m.group(3).toLowerCase(Locale.ROOT)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            BigDecimal nanos = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(nanosPerUnit));
            if (nanos.stripTrailingZeros().scale() > 0) {
                throw invalid(text, " (finer than a nanosecond)");
            }
            java.math.BigInteger[] secondsAndNanos = nanos.toBigIntegerExact()
                    .divideAndRemainder(java.math.BigInteger.valueOf(1_000_000_000L));
            Duration d;
            try {
                d = Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
            } catch (ArithmeticException e) {
                throw invalid(text, " (too long)");
            }
            return m.group(1).isEmpty() ? d : d.negated();
        }
        if (!text.isEmpty() && (text.charAt(0) == 'P' || text.charAt(0) == 'p' || text.startsWith("-P")
                || text.startsWith("-p"))) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(text, e.getCause() instanceof ArithmeticException ? " (too long)" : "");
            }
        }
        throw invalid(text, "");
    }

    /**
     * The shortest form {@link #parse} reads back as the same duration: {@code 15m}, {@code 1d}, {@code 90s},
     * {@code 1500ms}, {@code -5s}, {@code 0s}; ISO-8601 below a millisecond ({@code PT0.0005S}).
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] units = {MILLIS_PER_DAY, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    private static IllegalArgumentException invalid(String text, String why) {
        String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "... (" + text.length() + " characters)" : text;
        StringBuilder escaped = new StringBuilder();
        for (char c : shown.toCharArray()) {
            escaped.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : Character.isISOControl(c)
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return new IllegalArgumentException("'" + escaped + "' is not a duration" + why + ": write " + SYNTAX);
    }
}
