package io.sensorflow.job.source;

import static io.sensorflow.job.source.ReadingFuzzing.check;
import static io.sensorflow.job.source.ReadingPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.RejectReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through {@link ReadingDeserializer}, as Kafka records reach the parser: payloads
 * generated field by field, the same mutated at the byte level, every prefix and suffix of a few
 * good payloads, and random bytes. Each must give exactly one reading that satisfies the
 * invariants of {@link ReadingFuzzing} and is what {@link ReadingOracle} says the README asks for.
 *
 * <p>Seeded ({@code -Dfuzz.seed=N} for another run); a failure prints the seed, the case and the
 * payload.
 */
class ReadingDeserializerFuzzTest {

    private static final long SEED = ReadingFuzzing.SEED;

    private final ReadingFuzzing fuzz = new ReadingFuzzing();
    private final long now = System.currentTimeMillis();

    /** Runs {@code cases} payloads from {@code generator} and judges each; returns how often each reason came (null: valid). */
    private Map<RejectReason, Integer> run(String test, int cases, Function<ReadingPayloads, byte[]> generator) {
        Map<RejectReason, Integer> outcomes = new EnumMap<>(RejectReason.class);
        int valid = 0;
        long start = System.nanoTime();
        for (int n = 0; n < cases; n++) {
            SplittableRandom rnd = ReadingFuzzing.random(SEED, test, n);
            byte[] payload = generator.apply(new ReadingPayloads(rnd, now));
            ReadingFuzzing.Case c = new ReadingFuzzing.Case(test, SEED, n, payload);
            Reading r = fuzz.deserialize(payload, c);
            judge(r, payload, c);
            if (r.isValid()) {
                valid++;
            } else {
                outcomes.merge(r.rejectReason, 1, Integer::sum);
            }
        }
        System.out.printf("%s: %,d payloads in %.1f s (seed %d): %,d valid, rejected %s%n", test, cases,
                (System.nanoTime() - start) / 1e9, SEED, valid, outcomes);
        Map<RejectReason, Integer> all = new java.util.HashMap<>();
        all.putAll(outcomes);
        all.put(null, valid);
        return all;
    }

    /** The reading is one the oracle allows, and a valid one holds exactly the payload's values. */
    private void judge(Reading r, byte[] payload, Object c) {
        ReadingOracle.Syntax s = ReadingOracle.syntax(payload);
        ReadingOracle.Verdict v = ReadingOracle.judge(payload, s, System.currentTimeMillis(), ReadingFuzzing.MAX_FUTURE_MS);
        check(v.allows(r.rejectReason), c, () -> "gave " + (r.isValid() ? r : r.rejectReason + " (" + r.rejectDetail + ")")
                + " where the README asks for " + v);
        if (!r.isValid()) {
            return;
        }
        if (v.eventTime() != null) {
            check(r.eventTime == v.eventTime(), c, () -> "event time " + r.eventTime + ", expected " + v.eventTime());
        }
        if (!s.object() || s.repeatedKey()) {
            return;
        }
        Map<String, ReadingOracle.Value> f = s.fields();
        ReadingOracle.Value id = first(f, "sensor_id", "sensorId", "device_id");
        check(id != null && r.sensorId.equals(id.text()), c, () -> "sensor id '" + r.sensorId + "', payload has " + id);
        checkNumber(r.temperature, f.get("temperature"), "temperature", c);
        checkNumber(r.humidity, f.get("humidity"), "humidity", c);
        checkNumber(r.distanceCm, f.get("distance_cm"), "distance_cm", c);
        ReadingOracle.Value motion = f.get("motion");
        int expectedMotion = motion == null || motion.token() == JsonToken.VALUE_NULL ? Reading.MOTION_ABSENT
                : motion.token() == JsonToken.VALUE_TRUE ? 1 : motion.token() == JsonToken.VALUE_FALSE ? 0 : (int) motion.number();
        check(r.motion == expectedMotion, c, () -> "motion " + r.motion + ", payload has " + motion);
        ReadingOracle.Value seq = f.get("seq");
        long expectedSeq = seq == null || seq.token() == JsonToken.VALUE_NULL ? Reading.SEQ_ABSENT : Long.parseLong(seq.text());
        check(r.seq == expectedSeq, c, () -> "seq " + r.seq + ", payload has " + seq);
    }

    private static ReadingOracle.Value first(Map<String, ReadingOracle.Value> f, String... names) {
        for (String n : names) {
            ReadingOracle.Value v = f.get(n);
            if (v != null && v.token() != JsonToken.VALUE_NULL) {
                return v;
            }
        }
        return null;
    }

    private static void checkNumber(double actual, ReadingOracle.Value v, String name, Object c) {
        boolean absent = v == null || v.token() == JsonToken.VALUE_NULL;
        check(absent ? Double.isNaN(actual) : actual == v.number(), c, () -> name + " " + actual + ", payload has " + v);
    }

    @Test
    void generatedReadingsAreJudgedAsTheReadmeSays() {
        Map<RejectReason, Integer> outcomes = run("generated", 100_000, p -> p.reading(p.chance(0.5)));
        // The generator reaches every outcome but an empty payload, and valid readings are common.
        for (RejectReason reason : RejectReason.values()) {
            if (reason != RejectReason.EMPTY_PAYLOAD) {
                assertThat(outcomes.get(reason)).as("%s", reason).isNotNull().isGreaterThan(50);
            }
        }
        assertThat(outcomes.get(null)).isGreaterThan(10_000);
    }

    @Test
    void mutatedReadings() {
        Map<RejectReason, Integer> outcomes = run("mutated", 80_000, p -> p.mutate(p.reading(true)));
        assertThat(outcomes.get(RejectReason.NOT_JSON)).isGreaterThan(20_000);
        assertThat(outcomes.get(null)).isGreaterThan(3_000);
    }

    @Test
    void randomBytes() {
        Map<RejectReason, Integer> outcomes = run("random-bytes", 100_000, ReadingPayloads::randomBytes);
        assertThat(outcomes.get(RejectReason.EMPTY_PAYLOAD)).isGreaterThan(1_000);
    }

    @Test
    void everyPrefixOfAGoodPayloadIsNotJsonAndEverySuffixAndDeletionIsJudged() {
        List<byte[]> good = List.of(
                utf8("{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2025-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                        + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}"),
                utf8("{\"device_id\": \"device_1\", \"temperature\": 21.4, \"humidity\": 48.0, \"timestamp\": 1763712000}"),
                utf8("{\"sensor_id\": 1, \"temperature\": -12.5, \"timestamp\": \"2025-11-21 08:00:00.250\"}"),
                utf8("{\"sensorId\":\"capteur-é-温度-🌱\",\"ts\":1763712000123,\"motion\":1,\"x\":[{\"y\":[NaN]}]}"),
                utf8("{\"sensor_id\":\"\\u0073\\ud83c\\udf31\",\"ts\":\"2025-11-21T09:00:00+01:00\",\"distance_cm\":2}"));
        int cases = 0;
        for (int g = 0; g < good.size(); g++) {
            byte[] whole = good.get(g);
            assertThat(fuzz.deserialize(whole, "good payload " + g).isValid()).as("good payload %d", g).isTrue();
            for (int cut = 0; cut < whole.length; cut++) {
                byte[] prefix = java.util.Arrays.copyOf(whole, cut);
                ReadingFuzzing.Case p = new ReadingFuzzing.Case("prefix of good payload " + g, SEED, cut, prefix);
                Reading r = fuzz.deserialize(prefix, p);
                RejectReason expected = cut == 0 ? RejectReason.EMPTY_PAYLOAD : RejectReason.NOT_JSON;
                check(r.rejectReason == expected, p, () -> "a truncated payload gave " + r);
                byte[] suffix = java.util.Arrays.copyOfRange(whole, cut + 1, whole.length);
                ReadingFuzzing.Case s = new ReadingFuzzing.Case("suffix of good payload " + g, SEED, cut, suffix);
                judge(fuzz.deserialize(suffix, s), suffix, s);
                byte[] deleted = ReadingPayloads.splice(whole, cut, cut + 1, new byte[0]);
                ReadingFuzzing.Case d = new ReadingFuzzing.Case("byte deleted from good payload " + g, SEED, cut, deleted);
                judge(fuzz.deserialize(deleted, d), deleted, d);
                cases += 3;
            }
        }
        System.out.printf("prefixes, suffixes and deletions: %,d payloads%n", cases);
    }
}
