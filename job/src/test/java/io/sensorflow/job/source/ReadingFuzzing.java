package io.sensorflow.job.source;

import io.sensorflow.job.readings.PhysicalRanges;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingValidator;
import io.sensorflow.job.readings.RejectReason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Puts payloads through {@link ReadingDeserializer} the way Kafka records reach it and checks what
 * must hold for every input, whatever it is. A failure names the seed, the case and the payload.
 */
final class ReadingFuzzing {

    static final long MAX_FUTURE_MS = 600_000L;
    static final String TOPIC = "sensor-readings";
    /** What a reading may hold besides its payload: an id of 128 code points, a detail, the topic name. */
    static final long MAX_RETAINED_BEYOND_PAYLOAD = 4_096;
    static final int MAX_DETAIL = 300;

    /** {@code -Dfuzz.seed=N} replays another run; the default keeps CI reproducible. */
    static final long SEED = Long.getLong("fuzz.seed", 20261121L);

    private final ReadingDeserializer deserializer =
            new ReadingDeserializer(new ReadingValidator(PhysicalRanges.DEFAULTS, MAX_FUTURE_MS));
    private final List<Reading> out = new ArrayList<>(1);
    private final Collector<Reading> collector = new Collector<>() {
        @Override
        public void collect(Reading record) {
            out.add(record);
        }

        @Override
        public void close() {}
    };
    private long offset;

    /** One fuzz case, named so that it can be replayed: its toString is what a failure prints. */
    record Case(String test, long seed, long n, byte[] payload) {
        @Override
        public String toString() {
            return test + " case " + n + " (seed " + seed + ", replay with -Dfuzz.seed=" + seed + "): " + show(payload);
        }
    }

    /** A reproducible random source for case {@code n} of a test: case n can be replayed alone. */
    static java.util.SplittableRandom random(long seed, String test, long n) {
        return new java.util.SplittableRandom(seed ^ test.hashCode() * 0x9E3779B97F4A7C15L ^ n * 0xBF58476D1CE4E5B9L);
    }

    /** The one reading the deserializer makes of {@code value}, checked against the invariants. */
    Reading deserialize(byte[] value, Object context) {
        byte[] original = value == null ? null : value.clone();
        long at = offset++;
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 3, at, 1_795_248_904_000L,
                TimestampType.CREATE_TIME, 0, value == null ? -1 : value.length, null, value, new RecordHeaders(),
                Optional.empty());
        out.clear();
        try {
            deserializer.deserialize(record, collector);
        } catch (Throwable e) {
            throw new AssertionError("the deserializer threw on " + context, e);
        }
        long after = System.currentTimeMillis();
        check(out.size() == 1, context, () -> "gave " + out.size() + " readings, not one");
        Reading r = out.get(0);
        checkInvariants(r, value, original, at, after, context);
        return r;
    }

    private static void checkInvariants(Reading r, byte[] value, byte[] original, long offset, long now, Object context) {
        check(TOPIC.equals(r.sourceTopic) && r.sourcePartition == 3 && r.sourceOffset == offset
                && r.receivedAt == 1_795_248_904_000L, context, () -> "lost its Kafka coordinates: " + r);
        check(r.sensorSlot == null, context, () -> "carries a sensor slot");
        check(value == null || Arrays.equals(value, original), context, () -> "changed the record's bytes");
        if (r.isValid()) {
            check(r.rejectDetail == null && r.payload == null, context, () -> "a valid reading with a detail or payload");
            checkSensorId(r.sensorId, context);
            check(r.eventTime >= 0, context, () -> "event time before 1970: " + r.eventTime);
            check(r.eventTime - now <= MAX_FUTURE_MS, context, () -> "event time " + r.eventTime + " beyond max-future of " + now);
            checkValue(r.temperature, ReadingOracle.T_MIN, ReadingOracle.T_MAX, "temperature", context);
            checkValue(r.humidity, ReadingOracle.H_MIN, ReadingOracle.H_MAX, "humidity", context);
            checkValue(r.distanceCm, ReadingOracle.D_MIN, ReadingOracle.D_MAX, "distance_cm", context);
            check(r.motion == Reading.MOTION_ABSENT || r.motion == 0 || r.motion == 1, context, () -> "motion " + r.motion);
            check(r.seq == Reading.SEQ_ABSENT || r.seq >= 0 && r.seq < (1L << 62), context, () -> "seq " + r.seq);
            check(!Double.isNaN(r.temperature) || !Double.isNaN(r.humidity) || !Double.isNaN(r.distanceCm)
                    || r.motion != Reading.MOTION_ABSENT, context, () -> "a valid reading without a measurement");
        } else {
            check(r.rejectReason != null, context, () -> "no reason");
            check(r.rejectDetail != null && !r.rejectDetail.isBlank(), context, () -> "no detail for " + r.rejectReason);
            check(r.rejectDetail.length() <= MAX_DETAIL, context, () -> "a detail of " + r.rejectDetail.length() + " characters");
            check(r.rejectDetail.chars().noneMatch(Character::isISOControl), context,
                    () -> "a control character in the detail: " + printable(r.rejectDetail));
            check(value == null ? r.payload != null && r.payload.length == 0 : r.payload == value, context,
                    () -> "the rejected reading does not hold the record's own bytes");
            check((r.rejectReason == RejectReason.EMPTY_PAYLOAD) == (value == null || value.length == 0), context,
                    () -> "EMPTY_PAYLOAD for " + (value == null ? "null" : value.length + " bytes"));
            if (r.sensorId != null) {
                checkSensorId(r.sensorId, context);
            }
        }
        long retained = retainedBeyondPayload(r);
        check(retained <= MAX_RETAINED_BEYOND_PAYLOAD, context, () -> "holds " + retained + " bytes besides its payload");
    }

    private static void checkSensorId(String id, Object context) {
        check(id != null && !id.isEmpty(), context, () -> "an empty sensor id");
        check(id.codePointCount(0, id.length()) <= 128, context, () -> "a sensor id of " + id.codePointCount(0, id.length())
                + " code points");
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            check(!Character.isISOControl(c), context, () -> "a control character in the sensor id " + printable(id));
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else {
                check(!Character.isSurrogate(c), context, () -> "an unpaired surrogate in the sensor id " + printable(id));
            }
        }
    }

    private static void checkValue(double v, double min, double max, String name, Object context) {
        check(Double.isNaN(v) || v >= min && v <= max, context, () -> name + " " + v + " outside " + min + ".." + max);
    }

    /**
     * Bytes the reading keeps alive besides the record's payload, which it may share but not copy:
     * each String field counted at two bytes a character plus its headers, each array in full.
     */
    static long retainedBeyondPayload(Reading r) {
        long total = 0;
        for (Field f : Reading.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                continue;
            }
            Object v;
            try {
                v = f.get(r);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            if (v == null || v instanceof Enum<?>) {
                continue;
            }
            if (v instanceof String s) {
                total += 56 + 2L * s.length();
            } else if (v instanceof byte[] b) {
                total += f.getName().equals("payload") ? 0 : 16 + b.length;
            } else {
                throw new AssertionError("Reading." + f.getName() + " holds a " + v.getClass().getName()
                        + ": teach retainedBeyondPayload how much that keeps");
            }
        }
        return total;
    }

    static void check(boolean ok, Object context, java.util.function.Supplier<String> what) {
        if (!ok) {
            throw new AssertionError(what.get() + "\n  on " + context);
        }
    }

    /** A payload as a Java string literal, cut to its first 300 bytes, for failure messages. */
    static String show(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(b.length + " bytes: \"");
        for (int i = 0; i < Math.min(b.length, 300); i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02X", c));
            }
        }
        return s.append(b.length > 300 ? "\"..." : "\"").toString();
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c >= 0x20 && c < 0x7F) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\u{%X}", c));
            }
        });
        return b.toString();
    }
}
