package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierCandidatesTest {

    static final long S = 1_000;
    /** Three standard deviations from the last 4 readings (min_readings 4), resolved by 2 readings. */
    static final OutlierRule FOUR = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 4)
            .with(4, 2, Duration.ZERO, io.sensorflow.rules.SensorScope.ALL);

    private final List<RuleEvent> out = new ArrayList<>();

    private void feed(OutlierCandidates selector, OutlierCandidates.State s, long t, double v) {
        selector.accept(s, "a", t, v, out::add);
    }

    private List<String> picked() {
        List<String> p = new ArrayList<>();
        out.forEach(e -> p.add((e.kind == RuleEvent.OUTLIER ? "outlier " : e.kind == RuleEvent.BACK ? "back " : "normal ")
                + e.value + "@" + e.timestamp / S));
        return p;
    }

    @Test
    void anOutlierWithItsWindowAndAfterItTheReadingsThatCanResolve() {
        OutlierCandidates selector = new OutlierCandidates(FOUR);
        OutlierCandidates.State s = selector.newState();
        feed(selector, s, 0, 20);
        feed(selector, s, S, 21);
        feed(selector, s, 2 * S, 20);
        feed(selector, s, 3 * S, 80); // 3 readings before it: fewer than min_readings, no outlier
        feed(selector, s, 4 * S, 21);
        feed(selector, s, 5 * S, 22);
        feed(selector, s, 6 * S, 20);
        feed(selector, s, 7 * S, 21); // window 21, 22, 20, 21 (80 gone): no outlier
        feed(selector, s, 8 * S, 90); // an outlier: the first of its stretch
        feed(selector, s, 9 * S, 21); // back: the first that can resolve
        feed(selector, s, 10 * S, 20); // the second: resolves
        feed(selector, s, 11 * S, 21); // no episode can be open: nothing
        assertThat(picked()).containsExactly("outlier 90.0@8", "back 21.0@9", "normal 20.0@10");
        RuleEvent o = out.get(0);
        assertThat(o.windowReadings).isEqualTo(4);
        assertThat(o.windowMean).isEqualTo(21.0);
        // (0 + 1 + 1 + 0) / 3
        assertThat(o.windowSd).isEqualTo(Math.sqrt(2.0 / 3));
        assertThat(o.episodeStart).isEqualTo(8 * S);
    }

    @Test
    void aFlatWindowMakesNoOutlierAndAValueOnTheBoundaryIsNone() {
        OutlierRule three = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 1, 3);
        OutlierCandidates selector = new OutlierCandidates(three);
        OutlierCandidates.State flat = selector.newState();
        feed(selector, flat, 0, 50);
        feed(selector, flat, S, 50);
        feed(selector, flat, 2 * S, 50);
        feed(selector, flat, 3 * S, 90); // sd 0: no outlier, however far
        assertThat(out).isEmpty();
        OutlierCandidates.State s = selector.newState();
        feed(selector, s, 0, 0);
        feed(selector, s, S, 2);
        feed(selector, s, 2 * S, 4);
        feed(selector, s, 3 * S, 4); // window 0, 2, 4: mean 2, sd exactly 2, so 4 is k * sd away: no outlier
        assertThat(out).isEmpty();
        feed(selector, s, 4 * S, 1000);
        assertThat(picked()).containsExactly("outlier 1000.0@4");
    }

    @Test
    void anOpenEpisodesStretchIsPassedOnOnceAndAnOutlierBreaksAResolution() {
        OutlierRule rule = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 1, 3)
                .with(3, 3, Duration.ZERO, io.sensorflow.rules.SensorScope.ALL);
        OutlierCandidates selector = new OutlierCandidates(rule);
        OutlierCandidates.State s = selector.newState();
        feed(selector, s, 0, 10);
        feed(selector, s, S, 11);
        feed(selector, s, 2 * S, 10);
        feed(selector, s, 3 * S, 30); // outlier (mean 10.33, sd 0.58)
        feed(selector, s, 4 * S, 60); // window 11, 10, 30: mean 17, sd 11.3: outlier again, the episode open: left out
        feed(selector, s, 5 * S, 40); // window 10, 30, 60: mean 33.3, sd 25.2: none
        feed(selector, s, 6 * S, 200); // window 30, 60, 40: an outlier again, first of its stretch
        feed(selector, s, 7 * S, 120); // window 60, 40, 200: mean 100, sd 87: none
        feed(selector, s, 8 * S, 150);
        feed(selector, s, 9 * S, 180); // the third in a row: resolves
        feed(selector, s, 10 * S, 170); // no episode can be open: nothing
        assertThat(picked()).containsExactly("outlier 30.0@3", "back 40.0@5", "outlier 200.0@6", "back 120.0@7",
                "normal 150.0@8", "normal 180.0@9");
    }

    @Test
    void aDurationWindowHoldsTheReadingsOfTheLastDBeforeTheReadingNotThoseAtItsTime() {
        OutlierRule rule = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 2, Duration.ofSeconds(3))
                .with(2, 1, Duration.ZERO, io.sensorflow.rules.SensorScope.ALL);
        OutlierCandidates selector = new OutlierCandidates(rule);
        OutlierCandidates.State s = selector.newState();
        feed(selector, s, 0, 500); // at 3 s it is exactly D before: in the window [0, 3 s)
        feed(selector, s, 2 * S, 10);
        feed(selector, s, 3 * S, 11); // window 500, 10: mean 255, sd 346: none
        feed(selector, s, 3 * S, 11); // the same: [0, 3 s) still, the other reading at 3 s is not in it
        assertThat(out).isEmpty();
        feed(selector, s, 4 * S, 12); // window [1 s, 4 s): 10, 11, 11: mean 10.67, sd 0.58: an outlier
        assertThat(picked()).containsExactly("outlier 12.0@4");
        assertThat(out.get(0).windowReadings).isEqualTo(3);
        assertThat(selector.isEmpty(s, 6 * S)).as("an episode may be open").isFalse();
        feed(selector, s, 5 * S, 11.5); // resolves (resolve readings 1)
        assertThat(selector.isEmpty(s, 7 * S)).as("the last reading is less than D behind").isFalse();
        assertThat(selector.isEmpty(s, 8 * S)).as("a whole D behind: no later window holds any of them").isTrue();
    }

    @Test
    void aDurationWindowKeepsTheLast1000Readings() {
        OutlierRule rule = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofHours(1));
        OutlierCandidates selector = new OutlierCandidates(rule);
        OutlierCandidates.State s = selector.newState();
        feed(selector, s, 0, 1_000_000); // pushed out by the 1000 after it
        for (int i = 1; i <= 1000; i++) {
            feed(selector, s, i, i % 2 == 0 ? 10 : 11);
        }
        assertThat(s.size).isEqualTo(1000);
        assertThat(s.values.length).isEqualTo(1000);
        feed(selector, s, 1001, 12); // window 500 tens and 500 elevens: mean 10.5, sd 0.50025: no outlier
        assertThat(out).isEmpty();
        feed(selector, s, 1002, 12.1);
        assertThat(picked()).containsExactly("outlier 12.1@1");
        assertThat(out.get(0).windowReadings).isEqualTo(1000);
    }

    @Test
    void readingsWithoutTheMetricAreNotInTheWindow() {
        OutlierCandidates selector = new OutlierCandidates(FOUR);
        OutlierCandidates.State s = selector.newState();
        for (int i = 0; i < 4; i++) {
            feed(selector, s, i * S, 20 + i % 2);
            feed(selector, s, i * S + 1, Double.NaN);
        }
        feed(selector, s, 5 * S, 30);
        assertThat(picked()).containsExactly("outlier 30.0@5");
        assertThat(out.get(0).windowReadings).isEqualTo(4);
    }

    @Test
    void theWindowAndAnOpenResolutionSurviveACheckpoint() throws Exception {
        // the same events from the restored state as from the state that went on
        OutlierRule rule = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofSeconds(10))
                .with(3, 3, Duration.ZERO, io.sensorflow.rules.SensorScope.ALL);
        OutlierCandidates selector = new OutlierCandidates(rule);
        OutlierCandidates.State s = selector.newState();
        assertThat(selector.isEmpty(s, 0)).isTrue();
        for (int i = 0; i < 12; i++) {
            feed(selector, s, i * S, 20 + i % 3);
        }
        feed(selector, s, 12 * S, 60);
        feed(selector, s, 13 * S, 21);
        OutlierCandidates.State restored = roundTrip(selector, s);
        List<RuleEvent> fromRestored = new ArrayList<>();
        List<RuleEvent> fromUnbroken = new ArrayList<>();
        for (int i = 14; i < 30; i++) {
            double v = i == 20 ? 90 : 20 + i % 3;
            selector.accept(restored, "a", i * S, v, fromRestored::add);
            selector.accept(s, "a", i * S, v, fromUnbroken::add);
        }
        assertThat(fromRestored).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromUnbroken);
        assertThat(fromRestored).extracting(e -> e.kind).containsExactly(RuleEvent.NORMAL, RuleEvent.NORMAL,
                RuleEvent.OUTLIER, RuleEvent.BACK, RuleEvent.NORMAL, RuleEvent.NORMAL);
    }

    @Test
    void aStretchsLaterOutliersArePassedOnWhenTheyMayOpenAnEpisode() {
        OutlierRule cooling = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 4)
                .with(4, 1, Duration.ofSeconds(3), io.sensorflow.rules.SensorScope.ALL);
        OutlierCandidates selector = new OutlierCandidates(cooling);
        OutlierCandidates.State s = selector.newState();
        for (int i = 0; i < 4; i++) {
            feed(selector, s, i * S, 20 + i % 2);
        }
        feed(selector, s, 4 * S, 40); // the first of a stretch: opens an episode
        feed(selector, s, 5 * S, 400); // open: left out
        feed(selector, s, 6 * S, 21); // resolves at 6 s, a cooldown until 9 s
        double v = 4_000;
        for (int t = 7; t <= 10; t++, v *= 10) {
            feed(selector, s, t * S, v); // a stretch: 7 s sent as its first, 8 s in the cooldown, 9 s past it, 10 s open
        }
        assertThat(picked()).containsExactly("outlier 40.0@4", "back 21.0@6", "outlier 4000.0@7", "outlier 400000.0@9");
    }

    @Test
    void aStateOfVersion1SendsEveryOutlierFromThen() throws Exception {
        // Version 1: the last reading an outlier, at 4 s, the window 20, 21, 20, 40, no resolution due, the last match at 4 s.
        OutlierCandidates selector = new OutlierCandidates(FOUR);
        OutlierCandidates.State s = selector.read(version1(true, 4 * S, null, new double[] {21, 20, 21, 40}, 0, true, 4 * S));
        feed(selector, s, 5 * S, 400); // the same stretch: version 1 did not follow the episodes, so it is sent
        feed(selector, s, 6 * S, 21);
        assertThat(picked()).containsExactly("outlier 400.0@5", "back 21.0@6");
        assertThat(out.get(0).windowMean).isEqualTo(25.5);
    }

    /**
     * A state of version 1 does not follow the episodes (the lifecycle may have one open, or be
     * cooling down): with a duration window it is as good as fresh once no outlier came since the
     * last resolution (none can be open), its window is a whole D behind the watermark and the
     * watermark is a cooldown past its latest reading (the lifecycle's last resolution was at a
     * reading no later).
     */
    @Test
    void aStateOfVersion1WithADurationWindowIsForgottenACooldownAfterItsLatestReading() throws Exception {
        OutlierRule rule = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 2, Duration.ofSeconds(3))
                .with(2, 1, Duration.ofSeconds(10), io.sensorflow.rules.SensorScope.ALL);
        OutlierCandidates selector = new OutlierCandidates(rule);
        // Version 1: an outlier at 2 s, resolved at 3 s; the window (3 s, 10), (4 s, 11), the latest reading at 4 s.
        OutlierCandidates.State s = selector.read(version1(false, 4 * S, new long[] {3 * S, 4 * S}, new double[] {10, 11}, 1,
                false, 2 * S));
        assertThat(selector.isEmpty(s, 14 * S - 1)).as("a cooldown may last").isFalse();
        assertThat(selector.isEmpty(s, 14 * S)).isTrue();
    }

    /**
     * An outlier state as version 1 wrote it: whether the latest reading was an outlier, its time, the
     * window (with its times for a duration window, else {@code times} null), the readings that are no
     * outlier since the last outlier, whether one came since the last resolution, and when the last did.
     */
    private static DataInputStream version1(boolean lastOutlier, long lastTime, long[] times, double[] values,
            int normalsPassed, boolean unresolved, long lastMatchTime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream v1 = new DataOutputStream(bytes);
        v1.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 1);
        v1.writeBoolean(lastOutlier);
        v1.writeLong(lastTime);
        v1.writeBoolean(times != null);
        v1.writeInt(values.length);
        for (int i = 0; i < values.length; i++) {
            if (times != null) {
                v1.writeLong(times[i]);
            }
            v1.writeDouble(values[i]);
        }
        v1.writeInt(normalsPassed);
        v1.writeBoolean(unresolved);
        v1.writeLong(lastMatchTime);
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void aStateOfANewerFormatOrWithoutOneIsRefused() {
        OutlierCandidates selector = new OutlierCandidates(FOUR);
        assertThatThrownBy(() -> selector.read(new DataInputStream(new ByteArrayInputStream(
                new byte[] {(byte) (CandidateSelector.FORMAT_VERSION_MARK + OutlierCandidates.FORMAT_VERSION + 1)}))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outlier rule state of format version " + (OutlierCandidates.FORMAT_VERSION + 1));
        assertThatThrownBy(() -> selector.read(new DataInputStream(new ByteArrayInputStream(new byte[] {0}))))
                .isInstanceOf(IOException.class).hasMessageContaining("without a format version");
    }

    private static OutlierCandidates.State roundTrip(OutlierCandidates selector, OutlierCandidates.State s)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        selector.write(s, new DataOutputStream(bytes));
        return selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
