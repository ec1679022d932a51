package io.sensorflow.job.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile reading payloads: generated field by field from pools of good and bad values (every
 * field name and time form of the README, wrong types, extreme numbers, escapes, nesting), and
 * mutated at the byte level.
 */
final class ReadingPayloads {

    /** 2026-11-21T00:00:00Z and 2100-01-01T00:00:00Z: times fixed in the past and the future of any run. */
    static final long T_2026_11_21 = 1_795_219_200_000L;
    static final long Y2100 = 4_102_444_800_000L;

    private final SplittableRandom rnd;
    /** The wall clock, for times just inside and outside max-future: the only part of a payload that varies between runs. */
    private final long now;

    ReadingPayloads(SplittableRandom rnd, long now) {
        this.rnd = rnd;
        this.now = now;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- whole payloads

    /** A payload built field by field; with {@code mostlyValid}, bad values are rarer. */
    byte[] reading(boolean mostlyValid) {
        double bad = mostlyValid ? 0.03 : 0.25;
        List<String> fields = new ArrayList<>();
        String[] idKeys = {"sensor_id", "sensorId", "device_id"};
        double[] idOdds = {0.8, 0.15, 0.15};
        for (int i = 0; i < 3; i++) {
            if (chance(idOdds[i])) {
                fields.add(field(idKeys[i], chance(bad) ? badId() : goodId()));
            }
        }
        if (chance(0.8)) {
            fields.add(field("ts", chance(bad) ? badTime() : goodTime()));
        }
        if (chance(0.25)) {
            fields.add(field("timestamp", chance(bad) ? badTime() : goodTime()));
        }
        measurement(fields, "temperature", -40, 125, bad);
        measurement(fields, "humidity", 0, 100, bad);
        measurement(fields, "distance_cm", 2, 400, bad);
        if (chance(0.3)) {
            fields.add(field("motion", chance(bad) ? pick("2", "-1", "1.0", "0.0", "\"1\"", "\"true\"", "[]", "{}",
                    "4294967296", "1e0", "-1e-400", "null", "-0") : pick("true", "false", "0", "1")));
        }
        if (chance(0.3)) {
            fields.add(field("seq", chance(bad) ? pick("4611686018427387904", "-1", "9223372036854775807",
                    "9223372036854775808", "1.0", "\"1\"", "true", "[]", "{}", "null", "-0", "1e3")
                    : pick("0", "1", "18231", "4611686018427387903", Long.toString(rnd.nextLong(1L << 62)))));
        }
        for (int i = rnd.nextInt(4); i > 0; i--) {
            fields.add(field(pick("x", "extra", "Temperature", "TS", "sensor-id", "sensor_ID", "timeStamp", "", "é",
                    "meta", "temperature ", "seq2", "n".repeat(1000)), junk(0)));
        }
        Collections.shuffle(fields, new java.util.Random(rnd.nextLong()));
        StringBuilder json = new StringBuilder();
        if (chance(0.01)) {
            json.append('\uFEFF');
        }
        json.append(ws()).append('{');
        for (int i = 0; i < fields.size(); i++) {
            json.append(ws()).append(i > 0 ? "," : "").append(ws()).append(fields.get(i));
        }
        json.append(ws()).append('}').append(ws());
        return utf8(json.toString());
    }

    private void measurement(List<String> fields, String name, double min, double max, double bad) {
        if (!chance(0.5)) {
            return;
        }
        String v;
        if (chance(bad)) {
            v = pick("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "\"21.5\"", "true", "false", "[]", "[21.5]",
                    "{}", "null", "9".repeat(999), "1e6", "-1e6", "1.7976931348623157e308", "-1.7976931348623157e308",
                    "123456789012345678901234567890", Double.toString(min - Math.ulp(min)),
                    Double.toString(Math.nextUp(max)), "4.9e-324", "-0");
        } else if (chance(0.1)) {
            v = pick(number(min), number(max), "-0", "0", "-0.0", "1e-400", String.valueOf((long) min), "2.15E1",
                    "215e-1", "0.0215e3");
        } else {
            v = number(min + rnd.nextDouble() * (max - min));
        }
        fields.add(field(name, v));
    }

    private String number(double v) {
        switch (rnd.nextInt(8)) {
            case 0:
                return String.valueOf(Math.round(v));
            case 1:
                return String.format(java.util.Locale.ROOT, "%.3e", v).replace(',', '.');
            case 2:
                return new java.math.BigDecimal(v).toPlainString(); // the double's exact decimal expansion
            default:
                return Double.toString(v);
        }
    }

    private String goodId() {
        switch (rnd.nextInt(8)) {
            case 0:
                return pick("0", "42", "-7", "9223372036854775807", "18446744073709551616", "1".repeat(128));
            case 1:
                return str("a".repeat(128));
            case 2:
                return str("🌱".repeat(128)); // 128 code points, 256 chars
            case 3:
                return str(pick("capteur-é", "温度计-1", "greenhouse 01", "a\u00A0b", "x/y\\z\"q"));
            default:
                return str(text(1 + rnd.nextInt(40), "abcdefghijklmnopqrstuvwxyz0123456789-_.:"));
        }
    }

    private String badId() {
        return pick("\"\"", "\" \"", "\"\\t\"", str("a".repeat(129)), str("🌱".repeat(129)), "1".repeat(129),
                "\"a\\u0000b\"", "\"\\u007f\"", "\"a\u007fb\"", "\"\u0085\"", "\"\\ud800\"", "\"\\udc00x\"",
                "\"a\\nb\"", "true", "false", "1.5", "-0.0", "1e3", "[]", "{}", "[\"a\"]", "{\"id\":\"a\"}", "null",
                "NaN");
    }

    /** An event time in one of the README's forms, some before 1970 by their offset, some ahead of the clock. */
    private String goodTime() {
        long t;
        switch (rnd.nextInt(10)) {
            case 0:
                t = rnd.nextLong(0, 86_400_000L * 3); // around 1970
                break;
            case 1: // ahead of the clock: within max-future, beyond it, or past 2100
                t = rnd.nextInt(3) == 0 ? now + 60_000L : rnd.nextBoolean() ? now + 3_600_000L
                        : Y2100 + rnd.nextLong(0, 86_400_000L * 365 * 1000);
                break;
            case 2:
                t = rnd.nextLong(0, 253_402_300_799_000L); // up to 9999-12-31
                break;
            default: // the ten years before 2026-11-21, whenever the test runs
                t = T_2026_11_21 - rnd.nextLong(0, 86_400_000L * 365 * 10);
        }
        Instant at = Instant.ofEpochMilli(t);
        switch (rnd.nextInt(9)) {
            case 0:
                return str(at.toString());
            case 1: {
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(rnd.nextInt(-72, 73) * 900);
                return str(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(at, offset)));
            }
            case 2: {
                LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
                String s = utc.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
                int digits = rnd.nextInt(10);
                if (digits > 0) {
                    s += "." + String.format("%09d", utc.getNano()).substring(0, digits);
                }
                return str(s);
            }
            case 3:
                return Long.toString(t / 1000);
            case 4:
                return t >= 100_000_000_000L ? Long.toString(t) : Long.toString(t / 1000);
            case 5:
                return (t / 1000) + pick(".5", ".25", ".125", ".0", "");
            case 6:
                return str(Long.toString(rnd.nextBoolean() ? t / 1000 : t));
            case 7:
                return String.format(java.util.Locale.ROOT, "%.9e", t / 1000.0).replace(',', '.');
            default:
                return pick("0", "-0", "-0.0", "\"0\"", "1e-400", "99999999999", "100000000000", "8999999999999999",
                        "8.9e15", "\"9999-12-31T23:59:59Z\"", "\"2024-02-29T12:00:00Z\"", "\"1970-01-01T00:00:00Z\"",
                        "\"1970-01-01T01:00:00+01:00\"", "\"2026-11-21T08:15Z\"", "\"2026-11-21T08:15:03.123456789Z\"");
        }
    }

    private String badTime() {
        return pick("-1", "-0.5", "\"-1\"", "NaN", "Infinity", "-Infinity", "1e400", "9000000000000000",
                "9223372036854775807", "9223372036854775808", "1e19", "\"1969-12-31T23:59:59.999Z\"",
                "\"1970-01-01T00:30:00+01:00\"", "\"1969-12-31 23:59:59\"", "\"2026-02-30 00:00:00\"",
                "\"2026-02-29T00:00:00Z\"", "\"2026-11-21T08:15:03\"", "\"2026-11-21\"", "\"2026-11-21T24:00:00Z\"",
                "\"2026-13-01 00:00:00\"", "\"2026-11-21T08:15:03+19:00\"", "\"+999999999-12-31T23:59:59Z\"",
                "\"99999999999999999999\"", "\"\"", "\"now\"", "\"yesterday\"", "true", "[]", "{}", "{\"s\":1}",
                "[1795248903]", "\"2026-11-21T08:15:03.1234567891Z\"", "null");
    }

    /** Anything: the value of a field nobody reads, nested up to past the depth limit now and then. */
    private String junk(int depth) {
        int kind = rnd.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0:
                return pick("null", "true", "false", "NaN", "-Infinity", "0", "-0", "1e400", "9223372036854775808",
                        "1.5e-400");
            case 1:
                return str(text(rnd.nextInt(30), "ab\"\\/\u00e9\u0000\u001f\u2028🌱"));
            case 2:
                return chance(0.05) ? "1".repeat(rnd.nextInt(990, 1010)) : Long.toString(rnd.nextLong());
            case 3:
                return chance(0.02) ? str("y".repeat(rnd.nextInt(10_000, 100_000))) : str("y".repeat(rnd.nextInt(100)));
            case 4:
                return Double.toString(rnd.nextDouble() * 1e6);
            case 5:
                return str(text(rnd.nextInt(10), "0123456789-:TZ "));
            case 6: {
                int levels = chance(0.1) ? rnd.nextInt(60, 70) : rnd.nextInt(1, 5);
                return "[".repeat(levels) + "]".repeat(levels);
            }
            case 7:
                return "[" + junk(depth + 1) + ws() + "," + junk(depth + 1) + "]";
            default:
                return "{" + str(pick("a", "ts", "temperature", "sensor_id")) + ":" + junk(depth + 1) + "}";
        }
    }

    // ---------------------------------------------------------------- mutations

    /** Hostile pieces to splice in: structure, bad escapes, non-UTF-8 and overlong forms, BOMs, NULs. */
    private static final byte[][] SPLICES = {
        utf8("{"), utf8("}"), utf8("["), utf8("]"), utf8("\""), utf8(","), utf8(":"), utf8("\\"), utf8("\\u"),
        utf8("\\ud800"), utf8("null"), utf8("true"), utf8("NaN"), utf8("-0"), utf8("1e400"), utf8("9223372036854775808"),
        utf8(" "), utf8("\t"), utf8("\n"), utf8("\"ts\":"), utf8("\"sensor_id\":"), utf8("\"temperature\":"),
        {0}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xC2, (byte) 0x85}, {(byte) 0xE2, (byte) 0x80, (byte) 0xA8},
        {(byte) 0xC3}, {(byte) 0x80},
    };

    private static final String[] VALUES = {
        "null", "true", "false", "0", "-0", "-0.0", "1", "1.5", "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
        "9223372036854775808", "-9223372036854775809", "4.9e-324", "\"\"", "\"x\"", "\"1795248903\"",
        "\"2026-11-21T08:15:03Z\"", "[]", "{}", "[1,2]", "{\"a\":{}}", "\"\\u0000\"", "\"\\ud800\"",
    };

    /** {@code base} with 1 to 5 random mutations. */
    byte[] mutate(byte[] base) {
        byte[] b = base;
        for (int m = 1 + rnd.nextInt(5); m > 0; m--) {
            b = mutateOnce(b);
        }
        return b;
    }

    private byte[] mutateOnce(byte[] b) {
        int n = b.length;
        int at = n == 0 ? 0 : rnd.nextInt(n + 1);
        switch (rnd.nextInt(10)) {
            case 0: // delete a few bytes
                return splice(b, at, Math.min(n, at + 1 + rnd.nextInt(8)), new byte[0]);
            case 1: // insert a hostile piece
                return splice(b, at, at, SPLICES[rnd.nextInt(SPLICES.length)]);
            case 2: // flip a bit
                if (n > 0) {
                    byte[] c = b.clone();
                    c[rnd.nextInt(n)] ^= (byte) (1 << rnd.nextInt(8));
                    return c;
                }
                return b;
            case 3: // truncate
                return java.util.Arrays.copyOf(b, at);
            case 4: { // swap a value's type: what follows a colon, up to the next comma or brace
                int colon = indexOf(b, (byte) ':', at);
                if (colon < 0) {
                    return b;
                }
                int end = colon + 1;
                while (end < n && b[end] != ',' && b[end] != '}') {
                    end++;
                }
                return splice(b, colon + 1, end, utf8(VALUES[rnd.nextInt(VALUES.length)]));
            }
            case 5: // delete a field: from a comma to the next one
            case 6: { // or duplicate it
                int from = indexOf(b, (byte) ',', at);
                if (from < 0) {
                    return b;
                }
                int to = indexOf(b, (byte) ',', from + 1);
                if (to < 0) {
                    to = Math.max(from + 1, n - 1);
                }
                if (rnd.nextBoolean()) {
                    return splice(b, from, to, new byte[0]);
                }
                return splice(b, to, to, java.util.Arrays.copyOfRange(b, from, to));
            }
            case 7: { // nest the whole payload, or a slice of it, deeper
                int levels = 1 + rnd.nextInt(chance(0.1) ? 100 : 5);
                return concat(utf8("{\"x\":" + "[".repeat(levels)), b, utf8("]".repeat(levels) + "}"));
            }
            case 8: // a byte order mark or NUL in front or at the end
                return rnd.nextBoolean() ? concat(SPLICES[rnd.nextInt(SPLICES.length)], b)
                        : concat(b, SPLICES[rnd.nextInt(SPLICES.length)]);
            default: { // repeat a slice
                int from = n == 0 ? 0 : rnd.nextInt(n);
                int to = Math.min(n, from + rnd.nextInt(1, 40));
                return splice(b, to, to, java.util.Arrays.copyOfRange(b, from, to));
            }
        }
    }

    /** Random bytes: uniform, from JSON's alphabet, or UTF-8 sequences good and bad. */
    byte[] randomBytes() {
        int length = chance(0.5) ? rnd.nextInt(17) : chance(0.8) ? rnd.nextInt(17, 257) : rnd.nextInt(257, 4097);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        int style = rnd.nextInt(3);
        String alphabet = "{}[]\":,0123456789.eE+-tnrufalsNI \t\n\\";
        while (out.size() < length) {
            if (style == 0) {
                out.write(rnd.nextInt(256));
            } else if (style == 1) {
                out.write(alphabet.charAt(rnd.nextInt(alphabet.length())));
            } else {
                int cp = rnd.nextInt(0x110000);
                if (chance(0.05)) {
                    out.writeBytes(SPLICES[rnd.nextInt(SPLICES.length)]);
                } else if (cp < 0xD800 || cp > 0xDFFF) {
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- pieces

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string of {@code s}, each character written plainly or escaped at random. */
    String str(String s) {
        // Escapes sprinkled in half the short strings; long ones only as JSON requires.
        double sprinkle = s.length() <= 200 && rnd.nextBoolean() ? 0.06 : 0;
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean mustEscape = c == '"' || c == '\\' || c < 0x20
                    || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (mustEscape || sprinkle > 0 && chance(sprinkle)) {
                b.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private String field(String name, String value) {
        return str(name) + ws() + ":" + ws() + value;
    }

    private String ws() {
        if (!chance(0.1)) {
            return "";
        }
        return text(1 + rnd.nextInt(3), " \t\n\r");
    }

    private String text(int length, String alphabet) {
        StringBuilder b = new StringBuilder(length);
        int[] cps = alphabet.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(cps[rnd.nextInt(cps.length)]);
        }
        return b.toString();
    }

    boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static int indexOf(byte[] b, byte what, int from) {
        for (int i = Math.max(0, from); i < b.length; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
