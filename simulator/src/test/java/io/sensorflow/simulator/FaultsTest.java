package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultsTest {

    private static SimulatorSettings.Builder fleet() {
        return Scenarios.base().sensors(20).count(20_000).seed(11);
    }

    private static FaultStats stats(SimulatorSettings s) {
        Simulation sim = new Simulation(s);
        sim.run((f, k, p, l) -> { });
        return sim.faultStats();
    }

    @ParameterizedTest
    @EnumSource(ExpectedRejectReason.class)
    void eachMalformedReasonHasExactlyThatDefectInEveryFormat(ExpectedRejectReason reason) {
        for (PayloadFormat format : PayloadFormat.values()) {
            SimulatorSettings s = Scenarios.withFault(fleet().format(format), FaultKind.MALFORMED,
                    "reason=" + reason + ",count=12").build();
            List<GeneratedMessage> all = Simulator.messages(s);
            List<GeneratedMessage> bad = Scenarios.rejected(all);
            assertThat(bad).as(format + " " + reason).hasSize(12)
                    .allSatisfy(m -> assertThat(m.facts().reason()).isEqualTo(reason))
                    .allSatisfy(m -> assertThat(ReferenceClassifier.classify(m.payload()))
                            .as(format + ": " + m.payloadText()).isEqualTo(reason))
                    .allSatisfy(m -> assertThat(m.payloadText()).doesNotContain("\n"));
            assertThat(Scenarios.valid(all)).hasSize(20_000 - 12)
                    .allSatisfy(m -> assertThat(ReferenceClassifier.classify(m.payload())).isNull());
        }
    }

    @Test
    void malformedAnyMixesReasonsAndCountsThem() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.MALFORMED, "count=300").build();
        List<GeneratedMessage> bad = Scenarios.rejected(Simulator.messages(s));
        Map<ExpectedRejectReason, Long> byReason = bad.stream()
                .collect(Collectors.groupingBy(m -> m.facts().reason(), Collectors.counting()));
        assertThat(bad).hasSize(300).allSatisfy(m ->
                assertThat(ReferenceClassifier.classify(m.payload())).isEqualTo(m.facts().reason()));
        assertThat(byReason).containsOnlyKeys(ExpectedRejectReason.values());
        assertThat(stats(s).malformedByReason()).isEqualTo(byReason);
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.deadLetters()).hasSize(300);
        assertThat(outcome.deadLettersByReason()).isEqualTo(byReason);
    }

    @Test
    void malformedByProbability() {
        SimulatorSettings s = Scenarios.withFault(fleet().count(50_000), FaultKind.MALFORMED, "probability=0.01").build();
        long bad = Scenarios.rejected(Simulator.messages(s)).size();
        assertThat(bad).isBetween(400L, 600L); // 500 expected, sd ~22
    }

    @Test
    void echoIsAnOutOfRangeDistance() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.ECHO, "count=9").build();
        List<GeneratedMessage> bad = Scenarios.rejected(Simulator.messages(s));
        assertThat(bad).hasSize(9).allSatisfy(m -> {
            assertThat(m.facts().reason()).isEqualTo(ExpectedRejectReason.OUT_OF_RANGE);
            assertThat(Scenarios.parse(m).get("distance_cm").asDouble()).isGreaterThan(400.0).isLessThanOrEqualTo(1200.0);
            assertThat(ReferenceClassifier.classify(m.payload())).isEqualTo(ExpectedRejectReason.OUT_OF_RANGE);
        });
    }

    @ParameterizedTest
    @EnumSource(io.sensorflow.simulator.payload.HostilePayloads.Shape.class)
    void eachHostileShapeIsWhatTheJobMakesOfItInEveryFormat(io.sensorflow.simulator.payload.HostilePayloads.Shape shape) {
        for (PayloadFormat format : PayloadFormat.values()) {
            for (int size : new int[] {200, 60_000, 2_000_000}) {
                SimulatorSettings s = Scenarios.withFault(fleet().format(format).count(500), FaultKind.HOSTILE,
                        "shape=" + shape.id() + ",size=" + size + ",count=3").build();
                List<GeneratedMessage> all = Simulator.messages(s);
                List<GeneratedMessage> hostile = all.stream()
                        .filter(m -> m.payload().length > 150 || !m.facts().isValid()).collect(Collectors.toList());
                assertThat(all).as(format + " " + shape + " " + size)
                        .allSatisfy(m -> assertThat(ReferenceClassifier.classify(m.payload()))
                                .as(format + " " + shape + " " + size + ": " + abbreviated(m))
                                .isEqualTo(m.facts().reason()));
                assertThat(stats(s).events(FaultKind.HOSTILE)).isEqualTo(3);
                assertThat(hostile).as(format + " " + shape + " " + size).isNotEmpty();
            }
        }
    }

    private static String abbreviated(GeneratedMessage m) {
        String text = m.payloadText();
        return text.length() < 200 ? text : text.substring(0, 200) + "... (" + m.payload().length + " bytes)";
    }

    @Test
    void hostilePayloadsAreAsLargeAsAsked() {
        SimulatorSettings s = Scenarios.withFault(fleet().count(500), FaultKind.HOSTILE,
                "shape=padding,size=3000000,count=2").build();
        List<GeneratedMessage> big = Simulator.messages(s).stream().filter(m -> m.payload().length > 1000)
                .collect(Collectors.toList());
        assertThat(big).hasSize(2).allSatisfy(m -> {
            assertThat(m.payload().length).isBetween(3_000_000, 3_000_100);
            assertThat(m.facts().isValid()).isTrue(); // the job skips unknown fields unread, however large
        });
    }

    @Test
    void aBurstIsMoreReadingsAtTheSameStatedTimeWithOtherValuesAndAllCount() {
        SimulatorSettings s = Scenarios.withFault(fleet().format(PayloadFormat.DEVICE_EPOCH), FaultKind.BURST,
                "readings=50,count=4").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        assertThat(all).hasSize(20_000 + 4 * 50);
        Map<String, Long> perSecond = all.stream().collect(Collectors.groupingBy(
                m -> m.key() + "@" + m.facts().eventTime(), Collectors.counting()));
        assertThat(perSecond.values().stream().filter(n -> n == 51).count()).isEqualTo(4);
        assertThat(all).allSatisfy(m -> assertThat(ReferenceClassifier.classify(m.payload())).isNull());
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.totals().accepted() + outcome.totals().duplicates()).isEqualTo(20_200);
        // draws of 601 x 601 values: 204 readings at one second may repeat one by chance, rarely
        assertThat(outcome.totals().duplicates()).isLessThanOrEqualTo(1);
        assertThat(stats(s).readings(FaultKind.BURST)).isEqualTo(200);
    }

    @Test
    void spikeRunsOverrideExactlyTheirReadings() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.SPIKE,
                "metric=temperature,value=80,readings=5,count=3").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        List<GeneratedMessage> hot = all.stream()
                .filter(m -> Scenarios.parse(m).get("temperature").asDouble() == 80.0).collect(Collectors.toList());
        assertThat(hot).hasSize(15);
        // Each run is five consecutive readings of one sensor.
        Map<String, List<Long>> seqs = new HashMap<>();
        hot.forEach(m -> seqs.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.facts().seq()));
        seqs.values().forEach(list -> assertThat(list.size() % 5).isZero());
        assertThat(stats(s).events(FaultKind.SPIKE)).isEqualTo(3);
        assertThat(stats(s).readings(FaultKind.SPIKE)).isEqualTo(15);
        assertThat(Scenarios.rejected(all)).isEmpty();
    }

    @Test
    void riseClimbsByItsStep() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.RISE,
                "metric=humidity,step=4.5,readings=6,count=1").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        // The run's sensor: the one whose humidity has a .5 (DHT11 values are whole).
        String sensor = all.stream().filter(m -> Scenarios.parse(m).get("humidity").asText().endsWith(".5"))
                .findFirst().orElseThrow().key();
        List<Double> values = all.stream().filter(m -> m.key().equals(sensor))
                .map(m -> Scenarios.parse(m).get("humidity").asDouble()).collect(Collectors.toList());
        int first = -1;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) % 1 != 0) {
                first = i;
                break;
            }
        }
        double before = values.get(first - 1);
        // The run starts from the value the sensor had when the run took its first reading.
        double base = values.get(first) - 4.5;
        assertThat(Math.abs(base - before)).isLessThanOrEqualTo(1.0);
        for (int i = 0; i < 6; i++) {
            assertThat(values.get(first + i)).isEqualTo(Math.min(100.0, base + 4.5 * (i + 1)));
        }
        assertThat(stats(s).readings(FaultKind.RISE)).isEqualTo(6);
    }

    @Test
    void stuckRepeatsOneValue() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.STUCK, "metric=distance_cm,readings=40,count=2").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        // Noise makes 40 equal distances in a row impossible without the fault.
        Map<String, List<String>> bySensor = new HashMap<>();
        all.forEach(m -> bySensor.computeIfAbsent(m.key(), k -> new ArrayList<>())
                .add(Scenarios.parse(m).get("distance_cm").asText()));
        int runs = 0;
        for (List<String> d : bySensor.values()) {
            for (int i = 0; i + 40 <= d.size(); i++) {
                if (d.subList(i, i + 40).stream().distinct().count() == 1
                        && (i == 0 || !d.get(i - 1).equals(d.get(i)))) {
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(2);
        assertThat(stats(s).readings(FaultKind.STUCK)).isEqualTo(80);
    }

    @Test
    void duplicatesAreTheSameBytesSoonAfter() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.DUPLICATE, "count=25,max-delay=1s").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        assertThat(all).hasSize(20_025);
        Map<String, Integer> firstIndex = new HashMap<>();
        int copies = 0;
        for (int i = 0; i < all.size(); i++) {
            String k = all.get(i).key() + all.get(i).payloadText();
            Integer before = firstIndex.putIfAbsent(k, i);
            if (before != null) {
                copies++;
                // 20 sensors a second: within about a second means within about 20 messages.
                assertThat(i - before).isBetween(1, 25);
            }
        }
        assertThat(copies).isEqualTo(25);
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.totals().duplicates()).isEqualTo(25);
        assertThat(outcome.aggregates().stream().mapToLong(a -> a.duplicateCount()).sum()).isEqualTo(25);
        assertThat(outcome.totals().accepted()).isEqualTo(20_000);
    }

    @Test
    void outOfOrderReadingsComeAfterLaterOnesButInTime() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.OUT_OF_ORDER, "count=30,max-delay=3s").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        assertThat(all).hasSize(20_000);
        int displaced = 0;
        long maxSoFar = Long.MIN_VALUE;
        for (GeneratedMessage m : all) {
            long ts = m.facts().eventTime();
            if (ts < maxSoFar) {
                displaced++;
                assertThat(maxSoFar - ts).isLessThanOrEqualTo(3_000);
            }
            maxSoFar = Math.max(maxSoFar, ts);
        }
        assertThat(displaced).isEqualTo(30);
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.lateReadings()).isEmpty();
        assertThat(outcome.totals().accepted()).isEqualTo(20_000);
    }

    @Test
    void lateReadingsAreTooLateForTheJob() {
        // 20 sensors for 2 hours of event time: long enough for every hold to play out.
        SimulatorSettings s = Scenarios.withFault(fleet().count(144_000), FaultKind.LATE, "count=6").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        long maxSoFar = Long.MIN_VALUE;
        int behind = 0;
        for (GeneratedMessage m : all) {
            if (maxSoFar != Long.MIN_VALUE && maxSoFar - m.facts().eventTime() >= Duration.ofMinutes(20).toMillis()) {
                behind++;
            }
            maxSoFar = Math.max(maxSoFar, m.facts().eventTime());
        }
        assertThat(behind).isEqualTo(6);
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.lateReadings()).hasSize(6);
        assertThat(outcome.totals().accepted()).isEqualTo(144_000 - 6);
    }

    @Test
    void lateWithAShortHoldIsStillCounted() {
        SimulatorSettings s = Scenarios.withFault(fleet(), FaultKind.LATE, "count=6,hold=1m").build();
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.lateReadings()).isEmpty();
        assertThat(outcome.totals().accepted()).isEqualTo(20_000);
    }

    @Test
    void silenceOfOneSensor() {
        SimulatorSettings s = Scenarios.withFault(fleet().duration(Duration.ofMinutes(10)), FaultKind.SILENCE,
                "sensor=sensor-00004,at=2m,for=3m").count(0).build();
        List<GeneratedMessage> all = Simulator.messages(s);
        long from = Scenarios.START.plus(Duration.ofMinutes(2)).toEpochMilli();
        long to = Scenarios.START.plus(Duration.ofMinutes(5)).toEpochMilli();
        assertThat(all).filteredOn(m -> m.key().equals("sensor-00004")).hasSize(600 - 180)
                .allSatisfy(m -> assertThat(m.facts().eventTime() < from || m.facts().eventTime() >= to).isTrue());
        assertThat(all).filteredOn(m -> m.key().equals("sensor-00005")).hasSize(600);
        assertThat(stats(s).readings(FaultKind.SILENCE)).isEqualTo(180);
    }

    /** Out-of-orderness 5 s and watermark steps of 1 s (the job's default steps are 200 ms), which the figures below assume. */
    private static final io.sensorflow.oracle.OracleParameters SECOND_STEPS = io.sensorflow.oracle.OracleParameters.of(
            Duration.ofMinutes(15), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void aBatchedSensorQueuesItsReadingsWhileOfflineAndSendsThemOldestFirstWhenBack() {
        SimulatorSettings s = Scenarios.withFault(fleet().count(0).duration(Duration.ofMinutes(10)).oracle(SECOND_STEPS),
                FaultKind.BATCHED, "sensor=sensor-00004,at=2m,for=30s").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        long from = Scenarios.START.plus(Duration.ofMinutes(2)).toEpochMilli();
        long back = from + 30_000; // 30 s after a whole minute: a watermark step begins there already
        List<Integer> queued = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            GeneratedMessage m = all.get(i);
            if (m.key().equals("sensor-00004") && m.facts().eventTime() >= from && m.facts().eventTime() < back) {
                queued.add(i);
            }
        }
        assertThat(queued).hasSize(30);
        assertThat(queued.get(29) - queued.get(0)).as("sent in one burst").isEqualTo(29);
        List<Long> times = queued.stream().map(i -> all.get(i).facts().eventTime()).toList();
        assertThat(times).as("oldest first").isSorted();
        assertThat(all.subList(0, queued.get(0))).as("sent when back, before any reading from then on")
                .allSatisfy(m -> assertThat(m.facts().eventTime()).isLessThan(back))
                .anySatisfy(m -> assertThat(m.facts().eventTime()).isGreaterThanOrEqualTo(back - 1_000));
        assertThat(all).filteredOn(m -> m.key().equals("sensor-00004")).hasSize(600); // none lost
        assertThat(stats(s).events(FaultKind.BATCHED)).isEqualTo(1);
        assertThat(stats(s).readings(FaultKind.BATCHED)).isEqualTo(30);

        // The watermark when it is back: back - 5 s, a step back, minus 1 ms. The 24 readings at or
        // behind it count in their window, late for rules; the last 6 are ahead of it.
        ExpectedOutcome outcome = Simulator.expectedOutcome(s);
        assertThat(outcome.totals().accepted()).isEqualTo(20 * 600);
        assertThat(outcome.aggregates()).filteredOn(a -> a.readingsLateForRules() > 0).singleElement()
                .satisfies(a -> {
                    assertThat(a.sensorId()).isEqualTo("sensor-00004");
                    assertThat(a.readingsLateForRules()).isEqualTo(24);
                });
    }

    @Test
    void aBatchedBurstGoesOutWhereAWatermarkStepBegins() {
        io.sensorflow.oracle.OracleParameters p = SECOND_STEPS;
        assertThat(io.sensorflow.simulator.fault.BatchedFault.releaseAt(60_000, p)).isEqualTo(60_000);
        assertThat(io.sensorflow.simulator.fault.BatchedFault.releaseAt(60_001, p)).isEqualTo(61_000);
        assertThat(io.sensorflow.simulator.fault.BatchedFault.releaseAt(60_999, p.withOutOfOrderness(Duration.ofMillis(4_500))))
                .isEqualTo(61_500);
    }

    @Test
    void silenceOfTheFleet() {
        SimulatorSettings s = Scenarios.withFault(fleet().count(0).duration(Duration.ofMinutes(10)), FaultKind.SILENCE,
                "sensor=all,at=2026-11-21T08:05:00Z,for=1m").build();
        List<GeneratedMessage> all = Simulator.messages(s);
        long from = Instant.parse("2026-11-21T08:05:00Z").toEpochMilli();
        assertThat(all).hasSize(20 * 540)
                .noneMatch(m -> m.facts().eventTime() >= from && m.facts().eventTime() < from + 60_000);
    }

    @Test
    void countedFaultsFitAroundASilence() {
        SimulatorSettings s = Scenarios.withFault(Scenarios.withFault(fleet(), FaultKind.SILENCE, "sensor=all,at=1m,for=5m"),
                FaultKind.MALFORMED, "count=50").build();
        assertThat(Scenarios.rejected(Simulator.messages(s))).hasSize(50);
        assertThat(Simulator.messages(s)).hasSize(20_000);
    }

    @Test
    void clockSkewShiftsOneSensorsTimes() {
        SimulatorSettings plain = fleet().count(2_000).build();
        SimulatorSettings skewed = Scenarios.withFault(fleet().count(2_000), FaultKind.CLOCK_SKEW,
                "sensor=sensor-00007,offset=-90s").build();
        List<GeneratedMessage> a = Simulator.messages(plain);
        List<GeneratedMessage> b = Simulator.messages(skewed);
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            long shift = a.get(i).key().equals("sensor-00007") ? -90_000 : 0;
            assertThat(b.get(i).key()).isEqualTo(a.get(i).key());
            assertThat(b.get(i).facts().eventTime()).isEqualTo(a.get(i).facts().eventTime() + shift);
        }
        assertThat(stats(skewed).events(FaultKind.CLOCK_SKEW)).isEqualTo(1);
        assertThat(stats(skewed).readings(FaultKind.CLOCK_SKEW)).isEqualTo(100);
    }

    @Test
    void randomClockSkewsPickDistinctSensors() {
        SimulatorSettings s = Scenarios.withFault(fleet().count(2_000), FaultKind.CLOCK_SKEW, "offset=2s,count=3").build();
        assertThat(stats(s).events(FaultKind.CLOCK_SKEW)).isEqualTo(3);
        assertThat(stats(s).readings(FaultKind.CLOCK_SKEW)).isEqualTo(300);
    }

    @Test
    void everyKindTogetherKeepsItsCounts() {
        SimulatorSettings.Builder b = fleet().count(144_000);
        Scenarios.withFault(b, FaultKind.SPIKE, "metric=temperature,value=90,readings=4,count=5");
        Scenarios.withFault(b, FaultKind.STUCK, "metric=humidity,readings=10,count=5");
        Scenarios.withFault(b, FaultKind.DUPLICATE, "count=40");
        Scenarios.withFault(b, FaultKind.OUT_OF_ORDER, "count=40");
        Scenarios.withFault(b, FaultKind.LATE, "count=4");
        Scenarios.withFault(b, FaultKind.MALFORMED, "count=60");
        Scenarios.withFault(b, FaultKind.ECHO, "count=7");
        SimulatorSettings s = b.build();
        FaultStats st = stats(s);
        assertThat(Arrays.asList(st.events(FaultKind.SPIKE), st.readings(FaultKind.SPIKE), st.events(FaultKind.STUCK),
                st.readings(FaultKind.STUCK), st.events(FaultKind.DUPLICATE), st.events(FaultKind.OUT_OF_ORDER),
                st.events(FaultKind.LATE), st.events(FaultKind.MALFORMED), st.events(FaultKind.ECHO)))
                .containsExactly(5L, 20L, 5L, 50L, 40L, 40L, 4L, 60L, 7L);
        ExpectedOutcome o = Simulator.expectedOutcome(s);
        assertThat(o.totals().messages()).isEqualTo(144_040);
        assertThat(o.totals().deadLetters()).isEqualTo(67);
        assertThat(o.totals().late()).isEqualTo(4);
        assertThat(o.totals().duplicates()).isEqualTo(40);
        assertThat(o.totals().accepted()).isEqualTo(144_000 - 67 - 4);
        JsonNode any = Scenarios.parse(Simulator.messages(s).get(0));
        assertThat(any.has("sensor_id")).isTrue();
    }
}
