package io.sensorflow.job.source;

import static io.sensorflow.job.source.ReadingPayloads.concat;
import static io.sensorflow.job.source.ReadingPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.RejectReason;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-made hostile payloads through {@link ReadingDeserializer}: 10 MB strings and numbers, nesting
 * to 10,000 levels, extreme numbers in every field, invalid UTF-8 and overlong forms, byte order
 * marks, NUL bytes, extreme timestamps. Each is judged by {@link ReadingOracle} and the invariants
 * of {@link ReadingFuzzing}; the big ones also for time (CPU per megabyte) and memory.
 */
class ReadingDeserializerHostileInputTest {

    private static final int MB = 1_000_000;
    /** The budget: parsing costs at most this much CPU per megabyte of payload, whatever the payload. */
    private static final double MAX_MS_PER_MB = 50;
    private static final String HEAD = "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20.5,";

    private final ReadingFuzzing fuzz = new ReadingFuzzing();

    private Reading judged(String name, byte[] payload) {
        Reading r = fuzz.deserialize(payload, new Named(name, payload));
        ReadingOracle.Verdict v = ReadingOracle.judge(payload, System.currentTimeMillis(), ReadingFuzzing.MAX_FUTURE_MS);
        ReadingFuzzing.check(v.allows(r.rejectReason), new Named(name, payload),
                () -> "gave " + (r.isValid() ? r : r.rejectReason + " (" + r.rejectDetail + ")") + ", expected " + v);
        return r;
    }

    /** A hand-made case: its name and its bytes, for failure messages. */
    private record Named(String name, byte[] payload) {
        @Override
        public String toString() {
            return name + ": " + ReadingFuzzing.show(payload);
        }
    }

    private static String repeat(String head, String unit, String tail, int size) {
        StringBuilder b = new StringBuilder(size + unit.length() + tail.length()).append(head);
        while (b.length() + tail.length() < size) {
            b.append(unit);
        }
        return b.append(tail).toString();
    }

    /** Payloads of about {@code size} bytes, of shapes that make a parser work hard, by name. */
    private static Map<String, byte[]> bigShapes(int size) {
        Map<String, byte[]> shapes = new LinkedHashMap<>();
        shapes.put("a string in an unread field", utf8(repeat(HEAD + "\"x\":\"", "a", "\"}", size)));
        shapes.put("a non-ASCII string in an unread field", utf8(repeat(HEAD + "\"x\":\"", "é", "\"}", size / 2)));
        shapes.put("escapes in an unread field", utf8(repeat(HEAD + "\"x\":\"", "\\u00e9\\ud83c\\udf31", "\"}", size)));
        shapes.put("the sensor id", utf8(repeat("{\"sensor_id\":\"", "a", "\",\"ts\":1,\"temperature\":1}", size)));
        shapes.put("the sensor id in escapes", utf8(repeat("{\"sensor_id\":\"", "\\ud83c\\udf31", "\",\"ts\":1}", size)));
        shapes.put("the time as a string", utf8(repeat("{\"sensor_id\":\"s\",\"ts\":\"", "1", "\"}", size)));
        shapes.put("a number in a measurement", utf8(repeat(HEAD + "\"humidity\":", "9", "}", size)));
        shapes.put("a number in an unread field", utf8(repeat(HEAD + "\"x\":", "1", "}", size)));
        shapes.put("a number array", utf8(repeat(HEAD + "\"x\":[0", ",123.456e7", "]}", size)));
        shapes.put("whitespace", utf8(repeat("", " ", HEAD + "\"x\":1}", size)));
        shapes.put("nesting in an unread field", utf8(repeat(HEAD + "\"x\":", "[", "", size)));
        shapes.put("nested objects", utf8(repeat("", "{\"a\":", "", size)));
        shapes.put("repeated measurements", utf8(repeat(HEAD + "\"x\":0", ",\"temperature\":21.5", "}", size)));
        shapes.put("repeated sensor ids", utf8(repeat(HEAD + "\"x\":0", ",\"sensor_id\":\"sensor-abcdef\"", "}", size)));
        shapes.put("repeated bad sensor ids", utf8(repeat(HEAD + "\"x\":0", ",\"sensor_id\":\"\"", "}", size)));
        shapes.put("repeated bad motions", utf8(repeat(HEAD + "\"x\":0", ",\"motion\":2", "}", size)));
        shapes.put("repeated bad seqs", utf8(repeat(HEAD + "\"x\":0", ",\"seq\":\"a\"", "}", size)));
        shapes.put("repeated numeric times", utf8(repeat(HEAD + "\"x\":0", ",\"ts\":1.5", "}", size)));
        shapes.put("repeated digit-string times", utf8(repeat(HEAD + "\"x\":0", ",\"ts\":\"1795248000\"", "}", size)));
        shapes.put("repeated big numbers", utf8(repeat(HEAD + "\"x\":0", ",\"temperature\":" + "9".repeat(999), "}", size)));
        shapes.put("repeated long decimals", utf8(repeat(HEAD + "\"x\":0", ",\"temperature\":0." + "9".repeat(990), "}", size)));
        shapes.put("many unknown keys", utf8(repeat(HEAD + "\"x\":0", ",\"k\":{}", "}", size)));
        shapes.put("an invalid UTF-8 byte at the end", concat(utf8(repeat(HEAD + "\"x\":\"", "é", "", size / 2)),
                new byte[] {(byte) 0xC3, '"', '}'}));
        return shapes;
    }

    private static String keys(int size) {
        StringBuilder b = new StringBuilder(HEAD).append("\"x\":0");
        for (int i = 0; b.length() < size; i++) {
            b.append(",\"k").append(Integer.toHexString(i * 0x9E3779B1)).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    @Test
    void tenMegabytePayloadsAndTenThousandLevelsOfNesting() {
        Map<String, byte[]> shapes = bigShapes(10 * MB);
        shapes.put("10,000 levels of arrays at the top", utf8("[".repeat(10_000) + "]".repeat(10_000)));
        shapes.put("10,000 levels of arrays in a field", utf8(HEAD + "\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
        shapes.put("10,000 levels of objects in a field",
                utf8(HEAD + "\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"));
        shapes.put("10,000 levels in the sensor id", utf8("{\"sensor_id\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
        for (Map.Entry<String, byte[]> e : shapes.entrySet()) {
            Reading r = judged(e.getKey(), e.getValue());
            assertThat(ReadingFuzzing.retainedBeyondPayload(r)).as(e.getKey()).isLessThan(ReadingFuzzing.MAX_RETAINED_BEYOND_PAYLOAD);
        }
    }

    @Test
    void theDepthLimitIs64LevelsWhereverTheyAre() {
        for (int depth = 60; depth <= 70; depth++) {
            // the outer object is the first level
            String nested = "[".repeat(depth - 1) + "]".repeat(depth - 1);
            Reading r = judged("depth " + depth, utf8(HEAD + "\"x\":" + nested + "}"));
            assertThat(r.rejectReason).as("depth %d", depth).isEqualTo(depth > 64 ? RejectReason.NOT_JSON : null);
            r = judged("depth " + depth + " in the sensor id", utf8("{\"ts\":1,\"sensor_id\":" + nested + "}"));
            assertThat(r.rejectReason).as("depth %d", depth)
                    .isEqualTo(depth > 64 ? RejectReason.NOT_JSON : RejectReason.INVALID_SENSOR_ID);
        }
    }

    @Test
    void extremeNumbersInEveryField() {
        String[] numbers = {"1e400", "-1e400", "1e-400", "-1e-400", "-0", "-0.0", "0e0", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324", "2.4e-324", "NaN", "Infinity", "-Infinity",
            "1" + "0".repeat(999), "1" + "0".repeat(1000), "0." + "0".repeat(998) + "1", "1e2147483648", "1e-2147483649",
            "100000000000", "99999999999", "99999999999.999", "8999999999999999", "9000000000000000", "1e19"};
        String[] fields = {"sensor_id", "ts", "timestamp", "temperature", "humidity", "distance_cm", "motion", "seq", "x"};
        int cases = 0;
        for (String field : fields) {
            for (String n : numbers) {
                Map<String, String> payload = new LinkedHashMap<>(Map.of("sensor_id", "\"s\"", "ts", "1763712000",
                        "temperature", "20.5"));
                payload.put(field, n);
                StringBuilder json = new StringBuilder("{");
                payload.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
                judged(field + " = " + n, utf8(json.append('}').toString()));
                cases++;
            }
        }
        System.out.printf("extreme numbers: %d payloads%n", cases);
    }

    @Test
    void extremeTimestamps() {
        String[] times = {"0", "-0", "\"0\"", "1", "99999999999", "100000000000", "8999999999999999", "9000000000000000",
            "9223372036854775807", "1.7976931348623157e308", "4.9e-324", "-4.9e-324", "\"0000-01-01T00:00:00Z\"",
            "\"+999999999-12-31T23:59:59.999999999Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"",
            "\"1969-12-31T23:59:59.999Z\"", "\"1970-01-01T00:00:00.000+00:01\"", "\"1970-01-01T00:00:00-18:00\"",
            "\"1970-01-01T00:00:00+18:00\"", "\"1970-01-01T00:00:00+18:01\"", "\"9999-12-31 23:59:59.999999999\"",
            "\"+10000-01-01T00:00:00Z\"", "\"2026-11-21T08:15:03.120z\"", "\"2026-11-21t08:15:03Z\"",
            "\" 2026-11-21T08:15:03Z \"", "\"2026-11-21T08:15:03.Z\"", "\"2026-11-21T08:15:60Z\"",
            "\"2026-11-21 08:15:03.\"", "\"2026-11-21  08:15:03\"", "\"2026-11-21T08:15:03+02\"", "\"2026-11-21T08:15:03+0200\"",
            "\"99999999999\"", "\"000000000000000000001\"", "\"" + "9".repeat(10_000) + "\"",
            "\"2026-11-21T08:15:03." + "1".repeat(10_000) + "Z\""};
        for (String t : times) {
            for (String key : new String[] {"ts", "timestamp"}) {
                judged(key + " = " + t, utf8("{\"sensor_id\":\"s\",\"" + key + "\":" + t + ",\"temperature\":1}"));
            }
        }
    }

    @Test
    void invalidUtf8OverlongFormsBomsAndNulBytes() {
        byte[][] bad = {
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFC, (byte) 0x84, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFE}, {(byte) 0xFF},
            {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x8C},
            {(byte) 0xC3, 'a'}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE},
        };
        byte[][] good = {
            {0}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xC2, (byte) 0x85}, {(byte) 0xE2, (byte) 0x80, (byte) 0xA8},
            {(byte) 0xE2, (byte) 0x80, (byte) 0xAE}, {(byte) 0xC2, (byte) 0xA0}, {0x7F}, {'\t'}, {'\n'},
        };
        List<byte[]> pieces = new ArrayList<>(List.of(bad));
        pieces.addAll(List.of(good));
        int cases = 0;
        for (byte[] piece : pieces) {
            byte[] body = utf8("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20.5,\"x\":\"a\"}");
            int id = 14; // inside the sensor id's string
            int x = body.length - 3; // inside the unread string
            int[] places = {0, id, 15, x, body.length - 1, body.length};
            for (int at : places) {
                byte[] payload = ReadingPayloads.splice(body, at, at, piece);
                Reading r = judged("piece " + ReadingFuzzing.show(piece) + " at " + at, payload);
                if (List.of(bad).contains(piece)) {
                    assertThat(r.rejectReason).as("%s at %d", ReadingFuzzing.show(piece), at).isEqualTo(RejectReason.NOT_JSON);
                }
                cases++;
            }
        }
        judged("two byte order marks", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xEF, (byte) 0xBB,
            (byte) 0xBF}, utf8("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20.5}")));
        judged("only NUL bytes", new byte[64]);
        System.out.printf("bytes spliced into a payload: %d payloads%n", cases);
    }

    @Test
    void parsingCostsAtMost50MsOfCpuPerMegabyte() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Warm up on small payloads, so the JIT's work is not counted.
        for (int i = 0; i < 20; i++) {
            bigShapes(20_000).forEach((name, payload) -> fuzz.deserialize(payload, name));
        }
        StringBuilder report = new StringBuilder();
        for (int size : new int[] {MB, 4 * MB}) {
            for (Map.Entry<String, byte[]> e : bigShapes(size).entrySet()) {
                byte[] payload = e.getValue();
                long best = Long.MAX_VALUE;
                for (int run = 0; run < 3; run++) {
                    long start = threads.getCurrentThreadCpuTime();
                    fuzz.deserialize(payload, e.getKey());
                    best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
                }
                double msPerMb = best / 1e6 / (payload.length / (double) MB);
                report.append(String.format("%n  %-40s %9d bytes %6.1f ms/MB", e.getKey(), payload.length, msPerMb));
                assertThat(msPerMb).as("%s, %d bytes%s", e.getKey(), payload.length, report).isLessThan(MAX_MS_PER_MB);
            }
        }
        System.out.println("CPU per megabyte:" + report);
    }

    @Test
    void parsingAllocatesInProportionToThePayloadNotToItsNesting() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, byte[]> shapes = bigShapes(4 * MB);
        shapes.put("10,000 levels", utf8(HEAD + "\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
        shapes.put("64 levels, wide", utf8(repeat(HEAD + "\"x\":" + "[".repeat(62), "[1,[2,{\"a\":[3]}]],", "[]"
                + "]".repeat(62) + "}", 4 * MB)));
        for (Map.Entry<String, byte[]> e : shapes.entrySet()) {
            byte[] payload = e.getValue();
            fuzz.deserialize(payload, e.getKey());
            long before = threads.getCurrentThreadAllocatedBytes();
            Reading r = fuzz.deserialize(payload, e.getKey());
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // Garbage in proportion to the payload (the harness copies it once; a repeated bad field
            // makes its message again), whatever the nesting; what the reading keeps is checked below.
            assertThat(allocated).as("%s: %d bytes allocated for %d", e.getKey(), allocated, payload.length)
                    .isLessThan(10L * payload.length + 4 * MB);
            assertThat(ReadingFuzzing.retainedBeyondPayload(r)).isLessThan(ReadingFuzzing.MAX_RETAINED_BEYOND_PAYLOAD);
        }
    }

    // ------------------------------------------------------------------ findings

    /**
     * Found by this test (issue 6), fixed in the parser: every distinct field name was interned
     * (Jackson's INTERN_FIELD_NAMES, on by default) into the JVM's string table: a payload of
     * distinct unknown keys cost 60 to 120 ms of CPU per MB, growing with the size. The parser's
     * factory no longer interns names.
     */
    @Test
    void distinctFieldNamesStayWithinTheBudget() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int size : new int[] {MB, 4 * MB}) {
            byte[] payload = utf8(keys(size));
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = threads.getCurrentThreadCpuTime();
                fuzz.deserialize(payload, "distinct keys");
                best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
            }
            assertThat(best / 1e6 / (payload.length / (double) MB)).as("%d bytes of distinct keys", size)
                    .isLessThan(MAX_MS_PER_MB);
        }
    }

    /**
     * A stream of ordinary readings, each with one field name never seen before (a producer that
     * puts an id or a time in a key): Jackson's symbol table, shared by all parsers, grew to its own
     * limit of 6,000 names, and every parser that met a new name copied it first, about 200 KB and
     * 15 us per reading (over 100 ms of CPU per MB). The parser keeps that table small.
     */
    @Test
    void aNewFieldNameInEveryReadingStaysWithinTheBudget() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String reading = "{\"sensor_id\":\"sensor-00042\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231,\"k";
        int n = 100_000;
        byte[][] payloads = new byte[3 * n][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = utf8(reading + Integer.toHexString(i * 0x9E3779B1) + "\":1}");
        }
        // Warm up on the first third, so the JIT's work is not counted, and fill the table.
        for (int i = 0; i < n; i++) {
            fuzz.deserialize(payloads[i], "warm-up");
        }
        long best = Long.MAX_VALUE;
        long bytes = 0;
        for (int run = 0; run < 2; run++) {
            bytes = 0;
            long start = threads.getCurrentThreadCpuTime();
            for (int i = (run + 1) * n; i < (run + 2) * n; i++) {
                fuzz.deserialize(payloads[i], "a new field name");
                bytes += payloads[i].length;
            }
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        assertThat(best / 1e6 / (bytes / (double) MB)).as("%d readings, each with a new field name", n)
                .isLessThan(MAX_MS_PER_MB);
    }

    /**
     * Found by this test (issue 6), fixed in the parser: a payload that is valid UTF-8 but is UTF-16
     * or UTF-32 text was read as JSON, since Jackson's byte parser guesses the encoding from the
     * first four bytes (NUL bytes next to ASCII). As UTF-8 it is '{', NUL, '"', NUL...: not JSON.
     */
    @Test
    void utf16AndUtf32PayloadsAreNotJson() {
        String json = "{\"sensor_id\":\"s1\",\"ts\":1763712000,\"temperature\":21.4}";
        for (String charset : new String[] {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            Reading r = judged(charset, json.getBytes(Charset.forName(charset)));
            assertThat(r.rejectReason).as(charset).isEqualTo(RejectReason.NOT_JSON);
        }
    }

    /**
     * Found by this test (issue 6), fixed in {@code EventTimes}: every repeated time field is parsed,
     * and an unreadable time string cost a DateTimeParseException with its stack trace: 1 MB of
     * {@code ,"ts":"x"} took about 175 ms of CPU (3.5 times the budget), 1 MB of repeated ISO times
     * 35 to 52 ms. Time strings are now read without exceptions, the usual forms by hand, and a
     * field given again is not read at all (the reading is rejected for it).
     */
    @Test
    void repeatedTimeStringsStayWithinTheBudget() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String time : new String[] {"\"x\"", "\"2026-11-21T08:15:03Z\"", "\"2026-11-21 08:15:03\""}) {
            byte[] payload = utf8(repeat(HEAD + "\"x\":0", ",\"ts\":" + time, "}", MB));
            for (int i = 0; i < 5; i++) {
                fuzz.deserialize(payload, "warm-up");
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = threads.getCurrentThreadCpuTime();
                fuzz.deserialize(payload, "1 MB of " + time);
                best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
            }
            assertThat(best / 1e6 / (payload.length / (double) MB)).as("1 MB of ts %s", time).isLessThan(MAX_MS_PER_MB);
        }
    }
}
