package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ReadingParser against the payload specification. Every expected value here is written by hand:
 * epoch milliseconds were worked out independently of the code (e.g. with {@code date -u}).
 */
class ReadingParserTest {

    /** 2026-11-21T08:15:03.120Z. */
    private static final long T_2026_11_21_081503_120 = 1_795_248_903_120L;
    /** 2026-11-21T08:15:03Z. */
    private static final long T_2026_11_21_081503 = 1_795_248_903_000L;
    /** 2025-11-21T08:00:00Z, i.e. epoch seconds 1763712000 (the seed producers' example). */
    private static final long T_1763712000_S = 1_763_712_000_000L;

    static Reading parse(String json) {
        return ReadingParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A payload whose only interesting part is {@code fragment}, with a valid id, time and temperature around it. */
    static String with(String fragment) {
        return "{\"sensor_id\":\"s-1\",\"ts\":1763712000,\"temperature\":20.0," + fragment + "}";
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertRejected(Reading r, RejectReason reason) {
        assertThat(r).isNotNull();
        assertThat(r.rejectReason).as("reason of %s", r).isEqualTo(reason);
        assertThat(r.isValid()).isFalse();
        assertThat(r.rejectDetail).as("detail of %s", r).isNotBlank();
    }

    static void assertValid(Reading r) {
        assertThat(r.rejectReason).as("reason of %s", r).isNull();
        assertThat(r.isValid()).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class SeedPayloads {

        @Test
        void issueExamplePayload() {
            Reading r = parse("{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                    + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("greenhouse-01");
            assertThat(r.eventTime).isEqualTo(T_2026_11_21_081503_120);
            assertThat(r.temperature).isEqualTo(21.4);
            assertThat(r.humidity).isEqualTo(48.0);
            assertThat(r.distanceCm).isEqualTo(132.5);
            assertThat(r.motion).isEqualTo((byte) 0);
            assertThat(r.seq).isEqualTo(18231L);
        }

        @Test
        void pythonJsonDumpsDeviceIdPayloadWithSpaces() {
            // json.dumps({"device_id": "device_1", "temperature": 22.5, "humidity": 55.0, "timestamp": 1763712000})
            Reading r = parse("{\"device_id\": \"device_1\", \"temperature\": 22.5, \"humidity\": 55.0, \"timestamp\": 1763712000}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("device_1");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
            assertThat(r.temperature).isEqualTo(22.5);
            assertThat(r.humidity).isEqualTo(55.0);
            assertThat(r.distanceCm).isNaN();
            assertThat(r.motion).isEqualTo(Reading.MOTION_ABSENT);
            assertThat(r.seq).isEqualTo(Reading.SEQ_ABSENT);
        }

        @Test
        void compactDeviceIdPayload() {
            Reading r = parse("{\"device_id\":\"device_1\",\"temperature\":22.5,\"humidity\":55.0,\"timestamp\":1763712000}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("device_1");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
        }

        @Test
        void integerSensorIdPayloadWithSpaces() {
            Reading r = parse("{\"sensor_id\": 1, \"temperature\": 23.1, \"humidity\": 40.2, \"timestamp\": 1763712000}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("1");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
            assertThat(r.temperature).isEqualTo(23.1);
            assertThat(r.humidity).isEqualTo(40.2);
        }

        @Test
        void prettyPrintedJsonWithNewlinesAndTabs() {
            Reading r = parse("{\n\t\"sensor_id\" : \"greenhouse-01\" ,\r\n\t\"ts\" :\t\"2026-11-21T08:15:03.120Z\",\n"
                    + "  \"temperature\"   :   21.4\n}\n");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("greenhouse-01");
            assertThat(r.eventTime).isEqualTo(T_2026_11_21_081503_120);
            assertThat(r.temperature).isEqualTo(21.4);
        }

        @Test
        void fieldOrderDoesNotMatter() {
            Reading r = parse("{\"seq\":7,\"motion\":1,\"temperature\":-3.5,\"ts\":\"2026-11-21T08:15:03Z\",\"sensor_id\":\"x\"}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("x");
            assertThat(r.eventTime).isEqualTo(T_2026_11_21_081503);
            assertThat(r.temperature).isEqualTo(-3.5);
            assertThat(r.motion).isEqualTo((byte) 1);
            assertThat(r.seq).isEqualTo(7L);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class SensorIds {

        @Test
        void sensorIdAliases() {
            assertThat(parse("{\"sensor_id\":\"a-1\",\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("a-1");
            assertThat(parse("{\"sensorId\":\"b-2\",\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("b-2");
            assertThat(parse("{\"device_id\":\"c-3\",\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("c-3");
        }

        @Test
        void integerIdsBecomeTheirDecimalString() {
            assertThat(parse("{\"sensor_id\":42,\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("42");
            assertThat(parse("{\"sensor_id\":0,\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("0");
            assertThat(parse("{\"device_id\":7,\"ts\":1763712000,\"temperature\":1}").sensorId).isEqualTo("7");
            assertThat(parse("{\"sensorId\":9007199254740993,\"ts\":1763712000,\"temperature\":1}").sensorId)
                    .isEqualTo("9007199254740993");
            assertThat(parse("{\"sensor_id\":12345678901234567890123,\"ts\":1763712000,\"temperature\":1}").sensorId)
                    .isEqualTo("12345678901234567890123");
        }

        @Test
        void unicodeSensorIds() {
            Reading r1 = parse("{\"sensor_id\":\"温室-01\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r1);
            assertThat(r1.sensorId).isEqualTo("温室-01");

            Reading r2 = parse("{\"sensor_id\":\"capteur-été\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r2);
            assertThat(r2.sensorId).isEqualTo("capteur-été");

            Reading r3 = parse("{\"sensor_id\":\"датчик-🌡\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r3);
            assertThat(r3.sensorId).isEqualTo("датчик-\uD83C\uDF21");

            // JSON \\u escapes decode to the same string
            Reading r4 = parse("{\"sensor_id\":\"capteur-\\u00e9t\\u00E9\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r4);
            assertThat(r4.sensorId).isEqualTo("capteur-été");
        }

        @Test
        void exactly128CharactersIsAccepted() {
            String id = "a".repeat(128);
            Reading r = parse("{\"sensor_id\":\"" + id + "\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo(id);
        }

        @Test
        void characters129IsRejected() {
            assertRejected(parse("{\"sensor_id\":\"" + "a".repeat(129) + "\",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
        }

        @Test
        void lengthCountsCharactersNotUtf8Bytes() {
            // 128 two-byte characters: 256 bytes of UTF-8, but 128 characters.
            String id = "é".repeat(128);
            Reading r = parse("{\"sensor_id\":\"" + id + "\",\"ts\":1763712000,\"temperature\":1}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo(id);
            assertRejected(parse("{\"sensor_id\":\"" + "é".repeat(129) + "\",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "\"\"",
            "\" \"",
            "\"   \"",
            "\"a\\u0001b\"",
            "\"a\\nb\"",
            "\"tab\\there\"",
            "\"nul\\u0000\"",
            "\"del\\u007f\"",
            "1.5",
            "1e3",
            "true",
            "false",
            "{\"id\":\"x\"}",
            "[\"x\"]",
        })
        void invalidSensorIds(String idJson) {
            assertRejected(parse("{\"sensor_id\":" + idJson + ",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"device_id\":" + idJson + ",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"sensorId\":" + idJson + ",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
        }

        @Test
        void missingSensorId() {
            Reading r = parse("{\"ts\":1763712000,\"temperature\":1}");
            assertRejected(r, RejectReason.MISSING_SENSOR_ID);
            assertThat(r.sensorId).isNull();
        }

        @Test
        void nullSensorIdIsMissing() {
            assertRejected(parse("{\"sensor_id\":null,\"ts\":1763712000,\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"device_id\":null,\"ts\":1763712000,\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
        }

        @Test
        void misspelledOrNestedIdIsNotAnId() {
            assertRejected(parse("{\"sensor\":\"a\",\"ts\":1763712000,\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"SENSOR_ID\":\"a\",\"ts\":1763712000,\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"meta\":{\"sensor_id\":\"a\"},\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.MISSING_SENSOR_ID);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Timestamps {

        long time(String tsJson) {
            Reading r = parse("{\"sensor_id\":\"s\",\"ts\":" + tsJson + ",\"temperature\":1}");
            assertValid(r);
            assertThat(r.hasEventTime()).isTrue();
            return r.eventTime;
        }

        long timestampField(String tsJson) {
            Reading r = parse("{\"sensor_id\":\"s\",\"timestamp\":" + tsJson + ",\"temperature\":1}");
            assertValid(r);
            return r.eventTime;
        }

        void rejectedTime(String tsJson, RejectReason reason) {
            Reading r = parse("{\"sensor_id\":\"s\",\"ts\":" + tsJson + ",\"temperature\":1}");
            assertRejected(r, reason);
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.hasEventTime()).isFalse();
            assertThat(r.eventTime).isEqualTo(Long.MIN_VALUE);
            Reading r2 = parse("{\"sensor_id\":\"s\",\"timestamp\":" + tsJson + ",\"temperature\":1}");
            assertRejected(r2, reason);
        }

        @Test
        void isoWithZ() {
            assertThat(time("\"2026-11-21T08:15:03Z\"")).isEqualTo(1_795_248_903_000L);
            assertThat(timestampField("\"2026-11-21T08:15:03Z\"")).isEqualTo(1_795_248_903_000L);
        }

        @Test
        void isoWithFractions() {
            assertThat(time("\"2026-11-21T08:15:03.120Z\"")).isEqualTo(1_795_248_903_120L);
            assertThat(time("\"2026-11-21T08:15:03.12Z\"")).isEqualTo(1_795_248_903_120L);
            assertThat(time("\"2026-11-21T08:15:03.1Z\"")).isEqualTo(1_795_248_903_100L);
            assertThat(time("\"2026-11-21T08:15:03.007Z\"")).isEqualTo(1_795_248_903_007L);
        }

        @Test
        void isoWithOffset() {
            // 08:15:03.120 at +02:00 is 06:15:03.120 UTC
            assertThat(time("\"2026-11-21T08:15:03.120+02:00\"")).isEqualTo(1_795_241_703_120L);
            assertThat(time("\"2026-11-21T08:15:03+02:00\"")).isEqualTo(1_795_241_703_000L);
            // 03:15:03 at -05:00 is 08:15:03 UTC
            assertThat(time("\"2026-11-21T03:15:03-05:00\"")).isEqualTo(1_795_248_903_000L);
            assertThat(time("\"2026-11-21T08:15:03+00:00\"")).isEqualTo(1_795_248_903_000L);
            assertThat(timestampField("\"2026-11-21T08:15:03.120+02:00\"")).isEqualTo(1_795_241_703_120L);
        }

        @Test
        void sqlStyleIsUtc() {
            assertThat(time("\"2026-11-21 08:15:03\"")).isEqualTo(1_795_248_903_000L);
            assertThat(time("\"2026-11-21 08:15:03.123\"")).isEqualTo(1_795_248_903_123L);
            assertThat(time("\"2026-11-21 00:00:00\"")).isEqualTo(1_795_219_200_000L);
            assertThat(timestampField("\"2026-11-21 08:15:03.123\"")).isEqualTo(1_795_248_903_123L);
        }

        @Test
        void epochSecondsInteger() {
            assertThat(time("1763712000")).isEqualTo(1_763_712_000_000L);
            assertThat(timestampField("1763712000")).isEqualTo(1_763_712_000_000L);
            assertThat(time("1795248903")).isEqualTo(1_795_248_903_000L);
        }

        @Test
        void epochSecondsFractional() {
            assertThat(time("1763712000.5")).isEqualTo(1_763_712_000_500L);
            assertThat(time("1763712000.25")).isEqualTo(1_763_712_000_250L);
            assertThat(time("1795248903.120")).isEqualTo(1_795_248_903_120L);
            assertThat(time("1763712000.0")).isEqualTo(1_763_712_000_000L);
            assertThat(time("1.7637120005E9")).isEqualTo(1_763_712_000_500L);
        }

        @Test
        void epochMilliseconds() {
            assertThat(time("1795248903120")).isEqualTo(1_795_248_903_120L);
            assertThat(timestampField("1763712000000")).isEqualTo(1_763_712_000_000L);
        }

        @Test
        void digitStrings() {
            assertThat(time("\"1763712000\"")).isEqualTo(1_763_712_000_000L);
            assertThat(time("\"1795248903120\"")).isEqualTo(1_795_248_903_120L);
            assertThat(timestampField("\"1763712000\"")).isEqualTo(1_763_712_000_000L);
        }

        @Test
        void secondsMillisecondsBoundary() {
            // below 10^11: seconds
            assertThat(time("99999999999")).isEqualTo(99_999_999_999_000L);
            assertThat(time("\"99999999999\"")).isEqualTo(99_999_999_999_000L);
            // 10^11 and above: milliseconds (1973-03-03T09:46:40Z)
            assertThat(time("100000000000")).isEqualTo(100_000_000_000L);
            assertThat(time("\"100000000000\"")).isEqualTo(100_000_000_000L);
            assertThat(time("100000000001")).isEqualTo(100_000_000_001L);
        }

        @Test
        void epochStartIsAccepted() {
            assertThat(time("0")).isEqualTo(0L);
            assertThat(time("\"1970-01-01T00:00:00Z\"")).isEqualTo(0L);
            assertThat(time("\"1970-01-01 00:00:00\"")).isEqualTo(0L);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "-1",
            "-1763712000",
            "-0.5",
            "-1763712000.5",
            "\"1969-12-31T23:59:59Z\"",
            "\"1969-12-31T23:59:59.999Z\"",
            "\"1970-01-01T00:00:00+01:00\"",
            "\"1969-12-31 23:59:59\"",
            "\"1900-01-01 00:00:00\"",
            "\"-1\"",
        })
        void before1970IsRejected(String tsJson) {
            rejectedTime(tsJson, RejectReason.INVALID_TIMESTAMP);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "\"\"",
            "\" \"",
            "\"yesterday\"",
            "\"now\"",
            "\"2026-11-21\"",
            "\"2026-11-21T08:15:03\"",
            "\"21/11/2026 08:15:03\"",
            "\"2026-13-01T00:00:00Z\"",
            "\"2026-11-31T00:00:00Z\"",
            "\"2026-11-21T25:00:00Z\"",
            "\"2026-11-21 08:15\"",
            "\"1763712000.5x\"",
            "\"12e3\"",
            "\"0x10\"",
        })
        void unparseableStringsAreInvalid(String tsJson) {
            rejectedTime(tsJson, RejectReason.INVALID_TIMESTAMP);
        }

        @Test
        void impossibleCalendarDateInSqlStyleIsInvalid() {
            // Feb 30 does not exist; the ISO form already rejects it, the SQL-style form must too.
            rejectedTime("\"2026-02-30T00:00:00Z\"", RejectReason.INVALID_TIMESTAMP);
            rejectedTime("\"2026-02-30 00:00:00\"", RejectReason.INVALID_TIMESTAMP);
            rejectedTime("\"2026-11-31 08:15:03\"", RejectReason.INVALID_TIMESTAMP);
        }

        @ParameterizedTest
        @ValueSource(strings = {"true", "false", "{\"s\":1763712000}", "[1763712000]", "{}", "[]"})
        void wrongTypesAreInvalid(String tsJson) {
            rejectedTime(tsJson, RejectReason.INVALID_TIMESTAMP);
        }

        @Test
        void absentTimeIsMissing() {
            Reading r = parse("{\"sensor_id\":\"s\",\"temperature\":1}");
            assertRejected(r, RejectReason.MISSING_TIMESTAMP);
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.hasEventTime()).isFalse();
        }

        @Test
        void nullTimeIsMissing() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":null,\"temperature\":1}"), RejectReason.MISSING_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"timestamp\":null,\"temperature\":1}"), RejectReason.MISSING_TIMESTAMP);
        }

        @Test
        void misspelledTimeFieldIsMissing() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"time\":1763712000,\"temperature\":1}"), RejectReason.MISSING_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"meta\":{\"ts\":1763712000},\"temperature\":1}"),
                    RejectReason.MISSING_TIMESTAMP);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Measurements {

        Reading only(String fieldsJson) {
            return parse("{\"sensor_id\":\"s\",\"ts\":1763712000," + fieldsJson + "}");
        }

        @Test
        void eachMeasurementAloneIsEnough() {
            Reading t = only("\"temperature\":21");
            assertValid(t);
            assertThat(t.temperature).isEqualTo(21.0);
            assertThat(t.humidity).isNaN();
            assertThat(t.distanceCm).isNaN();
            assertThat(t.motion).isEqualTo(Reading.MOTION_ABSENT);

            Reading h = only("\"humidity\":48.5");
            assertValid(h);
            assertThat(h.humidity).isEqualTo(48.5);
            assertThat(h.temperature).isNaN();

            Reading d = only("\"distance_cm\":132.5");
            assertValid(d);
            assertThat(d.distanceCm).isEqualTo(132.5);

            Reading m = only("\"motion\":true");
            assertValid(m);
            assertThat(m.motion).isEqualTo((byte) 1);
        }

        @Test
        void motionForms() {
            assertThat(only("\"motion\":true").motion).isEqualTo((byte) 1);
            assertThat(only("\"motion\":false").motion).isEqualTo((byte) 0);
            assertThat(only("\"motion\":1").motion).isEqualTo((byte) 1);
            assertThat(only("\"motion\":0").motion).isEqualTo((byte) 0);
            assertValid(only("\"motion\":0"));
            assertValid(only("\"motion\":false"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2", "-1", "1.0", "0.5", "\"true\"", "\"1\"", "{}", "[]", "[1]", "256", "4294967297"})
        void badMotion(String motionJson) {
            assertRejected(only("\"temperature\":20,\"motion\":" + motionJson), RejectReason.INVALID_VALUE);
            assertRejected(only("\"motion\":" + motionJson), RejectReason.INVALID_VALUE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"temperature", "humidity", "distance_cm"})
        void numericMeasurementsOfTheWrongType(String field) {
            for (String bad : List.of("\"21.4\"", "\"\"", "true", "false", "{}", "{\"v\":1}", "[]", "[21.4]")) {
                assertRejected(only("\"" + field + "\":" + bad), RejectReason.INVALID_VALUE);
                assertRejected(only("\"motion\":true,\"" + field + "\":" + bad), RejectReason.INVALID_VALUE);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E+400"})
        void nonFiniteNumbersAreInvalidValues(String number) {
            assertRejected(only("\"temperature\":" + number), RejectReason.INVALID_VALUE);
            assertRejected(only("\"humidity\":" + number + ",\"temperature\":20"), RejectReason.INVALID_VALUE);
            assertRejected(only("\"distance_cm\":" + number + ",\"motion\":true"), RejectReason.INVALID_VALUE);
        }

        @Test
        void hugeTemperatureIsInvalidValue() {
            Reading r = only("\"temperature\":1e400");
            assertRejected(r, RejectReason.INVALID_VALUE);
            // the id and time were fine, so they are kept for the dead letter
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
        }

        @Test
        void seq() {
            assertThat(only("\"temperature\":1,\"seq\":0").seq).isEqualTo(0L);
            assertThat(only("\"temperature\":1,\"seq\":18231").seq).isEqualTo(18231L);
            assertThat(only("\"temperature\":1,\"seq\":4294967296").seq).isEqualTo(4_294_967_296L);
            assertThat(only("\"temperature\":1").seq).isEqualTo(Reading.SEQ_ABSENT);
            assertThat(only("\"temperature\":1,\"seq\":null").seq).isEqualTo(Reading.SEQ_ABSENT);
            assertValid(only("\"temperature\":1,\"seq\":null"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "-18231", "1.5", "18231.0", "1e3", "\"18231\"", "true", "{}", "[1]",
            "NaN", "99999999999999999999999"})
        void badSeqIsInvalidValue(String seqJson) {
            assertRejected(only("\"temperature\":1,\"seq\":" + seqJson), RejectReason.INVALID_VALUE);
        }

        @Test
        void hugeSeqIsInvalidValueNotNotJson() {
            // far beyond any counter, but still valid JSON: a bad value, not a syntax error
            assertRejected(only("\"temperature\":1,\"seq\":99999999999999999999999"), RejectReason.INVALID_VALUE);
            assertRejected(only("\"temperature\":1,\"seq\":" + "9".repeat(80)), RejectReason.INVALID_VALUE);
        }

        @Test
        void nullMeasurementsAreAbsent() {
            Reading r = only("\"temperature\":null,\"humidity\":50");
            assertValid(r);
            assertThat(r.temperature).isNaN();
            assertThat(r.humidity).isEqualTo(50.0);
            assertValid(only("\"motion\":null,\"distance_cm\":10"));
        }

        @Test
        void noMeasurement() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000}"), RejectReason.NO_MEASUREMENT);
            assertRejected(only("\"seq\":5"), RejectReason.NO_MEASUREMENT);
            assertRejected(only("\"temperature\":null,\"humidity\":null,\"distance_cm\":null,\"motion\":null"),
                    RejectReason.NO_MEASUREMENT);
            assertRejected(only("\"temp\":21.4,\"pressure\":1013"), RejectReason.NO_MEASUREMENT);
            Reading r = parse("{\"sensor_id\":\"s\",\"ts\":1763712000}");
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
        }

        @Test
        void parserDoesNotCheckRanges() {
            // range checks are ReadingValidator's; the parser accepts any finite number
            Reading r = only("\"temperature\":500,\"humidity\":-5,\"distance_cm\":0");
            assertValid(r);
            assertThat(r.temperature).isEqualTo(500.0);
            assertThat(r.humidity).isEqualTo(-5.0);
            assertThat(r.distanceCm).isEqualTo(0.0);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class UnknownFields {

        @Test
        void unknownFieldsOfEveryTypeAreIgnored() {
            Reading r = parse("{\"sensor_id\":\"s\",\"fw\":\"1.2.3\",\"rssi\":-67,\"ok\":true,\"nothing\":null,"
                    + "\"loc\":{\"lat\":52.5,\"lon\":13.4,\"tags\":[\"a\",{\"b\":[1,2,{\"c\":null}]}]},"
                    + "\"list\":[[],[[]],{}],\"ts\":1763712000,\"temperature\":20.5,\"big\":1e400}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
            assertThat(r.temperature).isEqualTo(20.5);
        }

        @Test
        void knownNamesInsideNestedObjectsAreIgnored() {
            Reading r = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20.5,"
                    + "\"meta\":{\"sensor_id\":\"\",\"ts\":\"bad\",\"temperature\":\"hot\",\"seq\":-1,\"motion\":7},"
                    + "\"arr\":[{\"humidity\":\"wet\"}]}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.temperature).isEqualTo(20.5);
            assertThat(r.humidity).isNaN();
            assertThat(r.seq).isEqualTo(Reading.SEQ_ABSENT);
            assertThat(r.motion).isEqualTo(Reading.MOTION_ABSENT);
        }

        @Test
        void moderatelyNestedUnknownFieldIsIgnored() {
            String nested = "[".repeat(20) + "1" + "]".repeat(20);
            assertValid(parse(with("\"deep\":" + nested)));
        }

        @Test
        void deeplyNestedArraysAreNotJsonNotStackOverflow() {
            String nested = "[".repeat(10_000) + "]".repeat(10_000);
            assertThatCode(() -> parse(with("\"deep\":" + nested))).doesNotThrowAnyException();
            assertRejected(parse(with("\"deep\":" + nested)), RejectReason.NOT_JSON);
        }

        @Test
        void deeplyNestedObjectsAreNotJson() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                sb.append("{\"a\":");
            }
            sb.append("1");
            sb.append("}".repeat(10_000));
            assertRejected(parse(with("\"deep\":" + sb)), RejectReason.NOT_JSON);
        }

        @Test
        void deeplyNestedTopLevelIsNotJson() {
            assertRejected(parse("[".repeat(100_000)), RejectReason.NOT_JSON);
            assertRejected(parse("{\"a\":".repeat(100_000)), RejectReason.NOT_JSON);
        }

        @Test
        void deeplyNestedUnterminatedUnknownFieldIsNotJson() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1,\"x\":" + "[".repeat(50_000)),
                    RejectReason.NOT_JSON);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class RepeatedFields {

        @ParameterizedTest
        @ValueSource(strings = {"sensor_id", "sensorId", "device_id"})
        void aSensorIdGivenTwiceIsInvalid(String name) {
            for (String second : new String[] {"\"s\"", "\"t\"", "null", "{}"}) {
                Reading r = parse("{\"" + name + "\":\"s\",\"ts\":1763712000,\"temperature\":1,\"" + name + "\":" + second + "}");
                assertRejected(r, RejectReason.INVALID_SENSOR_ID);
                assertThat(r.rejectDetail).isEqualTo(name + " is given more than once");
            }
            // a null first is given all the same
            assertRejected(parse("{\"" + name + "\":null,\"" + name + "\":\"s\",\"ts\":1763712000,\"temperature\":1}"),
                    RejectReason.INVALID_SENSOR_ID);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ts", "timestamp"})
        void anEventTimeGivenTwiceIsInvalid(String name) {
            for (String second : new String[] {"1763712000", "1763712001", "\"2026-11-21T08:15:03Z\"", "\"x\"", "null", "[1]"}) {
                Reading r = parse("{\"sensor_id\":\"s\",\"" + name + "\":1763712000,\"temperature\":1,\"" + name + "\":" + second + "}");
                assertRejected(r, RejectReason.INVALID_TIMESTAMP);
                assertThat(r.rejectDetail).isEqualTo(name + " is given more than once");
                assertThat(r.hasEventTime()).isFalse();
                assertThat(r.sensorId).isEqualTo("s");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"temperature", "humidity", "distance_cm", "motion", "seq"})
        void aValueGivenTwiceIsInvalid(String name) {
            for (String second : new String[] {"1", "0", "null", "\"x\"", "{\"a\":1}"}) {
                Reading r = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"" + name + "\":1,\"" + name + "\":" + second + "}");
                assertRejected(r, RejectReason.INVALID_VALUE);
                assertThat(r.rejectDetail).isEqualTo(name + " is given more than once");
            }
        }

        @Test
        void namesThatAreAliasesAreNotRepeats() {
            Reading r = parse("{\"device_id\":\"d\",\"sensorId\":\"c\",\"sensor_id\":\"s\",\"timestamp\":1,\"ts\":1763712000,"
                    + "\"temperature\":1}");
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("s");
            assertThat(r.eventTime).isEqualTo(T_1763712000_S);
        }

        @Test
        void unknownAndNestedNamesMayRepeat() {
            Reading r = parse(with("\"x\":1,\"x\":[2],\"Temperature\":3,\"Temperature\":4,"
                    + "\"meta\":{\"ts\":1,\"ts\":2,\"temperature\":{\"seq\":1,\"seq\":2}},\"list\":[{\"a\":1,\"a\":2}]"));
            assertValid(r);
            assertThat(r.temperature).isEqualTo(20.0);
        }

        @Test
        void theUsualPrecedenceHolds() {
            // the sensor id first, then the time, then the values
            assertRejected(parse("{\"temperature\":1,\"temperature\":2}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":\"\",\"ts\":1,\"ts\":2,\"temperature\":1}"), RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":\"s\",\"temperature\":1,\"temperature\":2}"), RejectReason.MISSING_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":\"bad\",\"seq\":1,\"seq\":2}"), RejectReason.INVALID_TIMESTAMP);
            // and syntax before all
            assertRejected(parse("{\"sensor_id\":\"s\",\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1,}"),
                    RejectReason.NOT_JSON);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class NotJsonAndEmpty {

        @Test
        void emptyPayload() {
            assertRejected(ReadingParser.parse(new byte[0]), RejectReason.EMPTY_PAYLOAD);
            assertRejected(ReadingParser.parse(null), RejectReason.EMPTY_PAYLOAD);
        }

        @Test
        void readingsRejectedWithoutAnyTimeCarryNoEventTime() {
            // A rejected reading without a readable time has event time Long.MIN_VALUE (not 0, which
            // is 1970-01-01 and would put its dead letter into a 1970 window).
            List<byte[]> payloads = List.of(
                    new byte[0],
                    utf8("not json"),
                    utf8("{\"sensor_id\":\"s\",\"temperature\":1"),
                    utf8("[1,2]"),
                    utf8("{\"temperature\":1}"),
                    utf8("{\"sensor_id\":\"\",\"temperature\":1}"),
                    utf8("{\"sensor_id\":\"s\",\"temperature\":1}"));
            for (byte[] payload : payloads) {
                Reading r = ReadingParser.parse(payload);
                assertThat(r.isValid()).isFalse();
                assertThat(r.hasEventTime()).as("%s", r).isFalse();
                assertThat(r.eventTime).as("%s", r).isEqualTo(Long.MIN_VALUE);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "hello",
            "null",
            "42",
            "\"a string\"",
            "true",
            "[]",
            "[{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}]",
            "{",
            "}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1,}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1} x",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}\n{\"sensor_id\":\"t\",\"ts\":1763712000,\"temperature\":1}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}]",
            "{'sensor_id':'s','ts':1763712000,'temperature':1}",
            "{sensor_id:\"s\",ts:1763712000,temperature:1}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":01}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":.5}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1 /* c */}",
            "{\"sensor_id\":\"s\" \"ts\":1763712000,\"temperature\":1}",
            "{\"sensor_id\":\"unterminated,\"ts\":1763712000,\"temperature\":1}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1,\"x\":\"\\q\"}",
            "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1,\"x\":tru}",
            "sensor_id=s,ts=1763712000",
        })
        void notJson(String payload) {
            assertRejected(parse(payload), RejectReason.NOT_JSON);
        }

        @Test
        void whitespaceOnlyIsRejected() {
            Reading r = parse("  \n\t ");
            assertThat(r.isValid()).isFalse();
            assertThat(r.rejectReason).isIn(RejectReason.EMPTY_PAYLOAD, RejectReason.NOT_JSON);
        }

        @Test
        void rawControlCharacterInsideStringIsNotJson() {
            assertRejected(parse("{\"sensor_id\":\"a\u0001b\",\"ts\":1763712000,\"temperature\":1}"), RejectReason.NOT_JSON);
        }

        @Test
        void trailingNulIsNotJson() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}\u0000"), RejectReason.NOT_JSON);
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertValid(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}\n"));
            assertValid(parse("  {\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}  \r\n"));
        }

        byte[] sensorIdWithRawBytes(byte... raw) {
            return concat(utf8("{\"sensor_id\":\"s"), raw, utf8("\",\"ts\":1763712000,\"temperature\":1}"));
        }

        byte[] unknownFieldWithRawBytes(byte... raw) {
            return concat(utf8("{\"sensor_id\":\"s\",\"note\":\"x"), raw, utf8("\",\"ts\":1763712000,\"temperature\":1}"));
        }

        @Test
        void invalidUtf8StartBytes() {
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xFF)), RejectReason.NOT_JSON);
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0x80)), RejectReason.NOT_JSON);
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xFE, (byte) 0xFF)), RejectReason.NOT_JSON);
            assertRejected(ReadingParser.parse(unknownFieldWithRawBytes((byte) 0xFF)), RejectReason.NOT_JSON);
        }

        @Test
        void truncatedUtf8Sequence() {
            // E2 82 is the start of the three-byte '€' (E2 82 AC) without its last byte
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xE2, (byte) 0x82)), RejectReason.NOT_JSON);
            assertRejected(ReadingParser.parse(unknownFieldWithRawBytes((byte) 0xE2, (byte) 0x82)), RejectReason.NOT_JSON);
        }

        @Test
        void invalidUtf8OutsideStrings() {
            byte[] payload = concat(utf8("{\"sensor_id\":\"s\",\"ts\":1763712000,"), new byte[] {(byte) 0xC3},
                    utf8("\"temperature\":1}"));
            assertRejected(ReadingParser.parse(payload), RejectReason.NOT_JSON);
        }

        @Test
        void overlongUtf8EncodingIsInvalid() {
            // C0 AF is an overlong (forbidden) encoding of '/': not valid UTF-8
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xC0, (byte) 0xAF)), RejectReason.NOT_JSON);
            // E0 80 AF: the same, in three bytes
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xE0, (byte) 0x80, (byte) 0xAF)),
                    RejectReason.NOT_JSON);
        }

        @Test
        void utf8EncodedSurrogateIsInvalid() {
            // ED A0 80 would be U+D800, a surrogate, which UTF-8 may not encode
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xED, (byte) 0xA0, (byte) 0x80)),
                    RejectReason.NOT_JSON);
        }

        @Test
        void codePointAbove10FFFFIsInvalid() {
            // F4 90 80 80 would be U+110000, beyond Unicode
            assertRejected(ReadingParser.parse(sensorIdWithRawBytes((byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80)),
                    RejectReason.NOT_JSON);
        }

        @Test
        void validMultiByteUtf8IsFine() {
            // C3 A9 = 'é', F0 9F 8C A1 = U+1F321
            Reading r = ReadingParser.parse(sensorIdWithRawBytes((byte) 0xC3, (byte) 0xA9, (byte) 0xF0, (byte) 0x9F,
                    (byte) 0x8C, (byte) 0xA1));
            assertValid(r);
            assertThat(r.sensorId).isEqualTo("sé\uD83C\uDF21");
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Precedence {

        @Test
        void notJsonBeatsEverything() {
            // every other defect too, and a syntax error at the end
            assertRejected(parse("{\"sensor_id\":\"\",\"ts\":\"bad\",\"temperature\":NaN,\"seq\":-1"), RejectReason.NOT_JSON);
            assertRejected(parse("{\"ts\":null,\"temperature\":\"x\"} trailing"), RejectReason.NOT_JSON);
            assertRejected(parse("{\"sensor_id\":\"" + "a".repeat(200) + "\",\"x\":" + "[".repeat(10_000)), RejectReason.NOT_JSON);
            assertRejected(ReadingParser.parse(concat(utf8("{\"sensor_id\":\"\",\"ts\":\"bad\",\"x\":\""),
                    new byte[] {(byte) 0xFF}, utf8("\"}"))), RejectReason.NOT_JSON);
        }

        @Test
        void sensorIdBeatsTimestamp() {
            assertRejected(parse("{\"ts\":\"bad\",\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"temperature\":1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":\"\",\"ts\":\"bad\",\"temperature\":1}"), RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":true,\"temperature\":1}"), RejectReason.INVALID_SENSOR_ID);
            // the same with the time first
            assertRejected(parse("{\"ts\":\"bad\",\"temperature\":1,\"sensor_id\":\"\"}"), RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"ts\":-5,\"temperature\":1,\"sensor_id\":null}"), RejectReason.MISSING_SENSOR_ID);
        }

        @Test
        void sensorIdBeatsEverythingAfterIt() {
            assertRejected(parse("{\"temperature\":\"x\",\"seq\":-1}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{}"), RejectReason.MISSING_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":1.5,\"ts\":1763712000,\"temperature\":NaN}"), RejectReason.INVALID_SENSOR_ID);
            assertRejected(parse("{\"sensor_id\":\"" + "a".repeat(129) + "\"}"), RejectReason.INVALID_SENSOR_ID);
        }

        @Test
        void timestampBeatsInvalidValue() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":\"bad\",\"temperature\":\"x\"}"), RejectReason.INVALID_TIMESTAMP);
            assertRejected(parse("{\"temperature\":NaN,\"sensor_id\":\"s\",\"ts\":\"bad\"}"), RejectReason.INVALID_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"temperature\":\"x\"}"), RejectReason.MISSING_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"seq\":-1,\"motion\":3}"), RejectReason.MISSING_TIMESTAMP);
        }

        @Test
        void timestampBeatsNoMeasurement() {
            assertRejected(parse("{\"sensor_id\":\"s\"}"), RejectReason.MISSING_TIMESTAMP);
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":\"bad\"}"), RejectReason.INVALID_TIMESTAMP);
        }

        @Test
        void invalidValueBeatsNoMeasurement() {
            // the only measurement is bad: that is the reason, not "no measurement"
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":\"x\"}"), RejectReason.INVALID_VALUE);
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"seq\":-1}"), RejectReason.INVALID_VALUE);
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"motion\":2}"), RejectReason.INVALID_VALUE);
            assertRejected(parse("{\"seq\":\"x\",\"sensor_id\":\"s\",\"ts\":1763712000}"), RejectReason.INVALID_VALUE);
        }

        @Test
        void oneBadValueAmongGoodOnesRejectsTheReading() {
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20,\"humidity\":\"x\",\"motion\":true}"),
                    RejectReason.INVALID_VALUE);
            assertRejected(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":20,\"seq\":1.5}"),
                    RejectReason.INVALID_VALUE);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class ContentHash {

        @Test
        void theSameContentSpelledDifferentlyIsTheSameReading() {
            Reading a = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":21.4,\"humidity\":48,\"seq\":10}");
            Reading b = parse("{\"seq\": 10, \"humidity\": 48.0, \"temperature\": 21.40, \"ts\": 1763712000, \"sensor_id\": \"s\", \"x\": 1}");
            assertThat(a.contentHash()).isEqualTo(b.contentHash());
        }

        @Test
        void anyDifferentValueIsAnotherReading() {
            String base = "{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":21.4,\"humidity\":48,\"distance_cm\":100,\"motion\":true,\"seq\":10}";
            long h = parse(base).contentHash();
            assertThat(parse(base.replace("21.4", "21.5")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace("48", "49")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace("100", "101")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace("true", "false")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace(",\"motion\":true", "")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace("10}", "11}")).contentHash()).isNotEqualTo(h);
            assertThat(parse(base.replace(",\"seq\":10", "")).contentHash()).isNotEqualTo(h);
        }

        @Test
        void aValueMovedToAnotherMeasurementIsAnotherReading() {
            long a = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":21}").contentHash();
            long b = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"humidity\":21}").contentHash();
            long c = parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"distance_cm\":21}").contentHash();
            assertThat(Set.of(a, b, c)).hasSize(3);
        }

        @Test
        void minusZeroIsZero() {
            assertThat(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":-0.0}").contentHash())
                    .isEqualTo(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":0}").contentHash());
        }

        @Test
        void timeIsNotPartOfTheHash() {
            // time is compared beside the hash: the same values at another time are another reading there
            assertThat(parse("{\"sensor_id\":\"s\",\"ts\":1763712000,\"temperature\":1}").contentHash())
                    .isEqualTo(parse("{\"sensor_id\":\"s\",\"ts\":1763712005,\"temperature\":1}").contentHash());
        }

        @Test
        void aMillionDistinctSeedLikeReadingsHaveDistinctHashes() {
            // The seed producer: random.uniform temperatures and humidities, many per second per sensor.
            Random random = new Random(7);
            Set<Long> hashes = new HashSet<>();
            Reading r = new Reading();
            int distinct = 0;
            Set<List<Double>> contents = new HashSet<>();
            for (int i = 0; i < 1_000_000; i++) {
                r.temperature = Math.round(random.nextDouble() * 6000) / 100.0 + 20;
                r.humidity = Math.round(random.nextDouble() * 6000) / 100.0 + 30;
                if (contents.add(List.of(r.temperature, r.humidity))) {
                    distinct++;
                    hashes.add(r.contentHash());
                }
            }
            assertThat(hashes).hasSize(distinct);
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class NeverThrows {

        static final String VALID = "{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}";

        void check(byte[] payload) {
            Reading r = ReadingParser.parse(payload);
            assertThat(r).isNotNull();
            if (r.isValid()) {
                assertThat(r.sensorId).isNotEmpty();
                assertThat(r.rejectReason).isNull();
            } else {
                assertThat(r.rejectReason).isNotNull();
            }
        }

        @Test
        void randomBytes() {
            Random random = new Random(20261121L);
            int valid = 0;
            for (int i = 0; i < 5_000; i++) {
                byte[] payload = new byte[random.nextInt(300)];
                random.nextBytes(payload);
                Reading r = ReadingParser.parse(payload);
                assertThat(r).isNotNull();
                assertThat(r.isValid() || r.rejectReason != null).isTrue();
                if (r.isValid()) {
                    valid++;
                }
            }
            // random bytes are practically never a valid reading
            assertThat(valid).isZero();
        }

        @Test
        void randomAsciiFromJsonAlphabet() {
            Random random = new Random(42L);
            String alphabet = "{}[]\":,0123456789.-+eE truefalsnNI\\u\t\n sensor_idtsemperaturhmyq";
            for (int i = 0; i < 5_000; i++) {
                int n = random.nextInt(120);
                StringBuilder sb = new StringBuilder(n);
                for (int j = 0; j < n; j++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                check(utf8(sb.toString()));
            }
        }

        @Test
        void mutationsOfAValidPayload() {
            byte[] base = utf8(VALID);
            Random random = new Random(1234L);
            for (int i = 0; i < 5_000; i++) {
                byte[] payload = base.clone();
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
                check(payload);
            }
        }

        @Test
        void everyTruncationOfAValidPayload() {
            byte[] base = utf8(VALID);
            for (int len = 0; len < base.length; len++) {
                byte[] payload = java.util.Arrays.copyOf(base, len);
                Reading r = ReadingParser.parse(payload);
                assertThat(r.isValid()).as("truncated to %d bytes", len).isFalse();
                assertThat(r.rejectReason).isIn(RejectReason.EMPTY_PAYLOAD, RejectReason.NOT_JSON);
            }
            assertValid(ReadingParser.parse(base));
        }

        @Test
        void hostileShapes() {
            List<String> shapes = List.of(
                    "{\"sensor_id\":\"" + "x".repeat(2_000_000) + "\",\"ts\":1,\"temperature\":1}",
                    "{\"x\":\"" + "\\u0000".repeat(10_000) + "\"}",
                    "{\"temperature\":" + "9".repeat(10_000) + "}",
                    "{\"ts\":" + "1".repeat(500) + ",\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":1e999999999,\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":\"" + "9".repeat(40) + "\",\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":\"+999999999-12-31T23:59:59Z\",\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":9223372036854775807,\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":9223372036854775808,\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":-9223372036854775808,\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"ts\":1.7976931348623157E308,\"sensor_id\":\"s\",\"temperature\":1}",
                    "{\"seq\":9223372036854775807,\"sensor_id\":\"s\",\"ts\":1,\"temperature\":1}",
                    "{\"motion\":99999999999999999999,\"sensor_id\":\"s\",\"ts\":1}",
                    "{\"" + "k".repeat(100_000) + "\":1}",
                    "{\"a\":1,".repeat(50_000) + "\"b\":2}",
                    "\uFEFF{\"sensor_id\":\"s\",\"ts\":1,\"temperature\":1}",
                    "\"\\uD800\"",
                    "{\"sensor_id\":\"\\uD800\",\"ts\":1,\"temperature\":1}");
            for (String s : shapes) {
                assertThatCode(() -> check(utf8(s))).as(s.length() > 80 ? s.substring(0, 80) : s).doesNotThrowAnyException();
            }
        }
    }
}
