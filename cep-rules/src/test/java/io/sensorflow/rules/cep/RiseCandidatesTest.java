package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiseCandidatesTest {

    static final long MIN = 60_000;
    static final RiseRule RISE = new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofMinutes(5));

    private final RiseCandidates selector = new RiseCandidates(RISE);
    private final List<RuleEvent> out = new ArrayList<>();

    private void feed(RiseCandidates.State s, long t, double v) {
        selector.accept(s, "a", t, v, out::add);
    }

    private List<String> picked() {
        List<String> p = new ArrayList<>();
        out.forEach(e -> p.add(e.kind == RuleEvent.RISE ? e.fromValue + "@" + e.fromTime / MIN + "->" + e.value + "@" + e.timestamp / MIN
                : "no rise " + e.value + "@" + e.timestamp / MIN + " #" + e.runLength + " after " + e.metValue + "@" + e.metTime / MIN));
        return p;
    }

    @Test
    void aRiseThatMayOpenCarriesTheLowestOfTheWindowBeforeItAndAResolutionItsStretch() {
        RiseCandidates.State s = selector.newState();
        feed(s, 0, 25);
        feed(s, MIN, 20);
        feed(s, 2 * MIN, 30); // +10 from 20
        feed(s, 3 * MIN, 31); // same rise
        feed(s, 4 * MIN, 22); // over
        feed(s, 5 * MIN, 32); // +10 from 22 at 4 min (20 at 1 min is still in the window: +12)
        // The episode opened at 2 min is open from 3 min: the rises at 3 and 5 min open nothing (without a
        // cooldown each is kept until its time passes, in case a resolution comes at it). The reading at
        // 4 min is the first of a stretch broken before three: it resolves nothing.
        assertThat(picked()).containsExactly("20.0@1->30.0@2");
        feed(s, 6 * MIN, 25);
        feed(s, 7 * MIN, 24);
        feed(s, 8 * MIN, 23);
        // The third without a rise resolves: one event, carrying its stretch and the rise before it.
        assertThat(picked()).containsExactly("20.0@1->30.0@2", "no rise 23.0@8 #3 after 32.0@5");
        assertThat(out.get(1).metFromValue).isEqualTo(20);
        assertThat(out.get(1).metFromTime).isEqualTo(MIN);
        assertThat(out.get(1).episodeStart).as("the stretch's first reading").isEqualTo(6 * MIN);
    }

    @Test
    void readsTheStateOfTheVersionBeforeResolutions() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeBoolean(false); // not rising, last reading at 1 min, one reading in the queue: 20 at 1 min
        old.writeLong(MIN);
        old.writeInt(1);
        old.writeLong(MIN);
        old.writeDouble(20);
        RiseCandidates.State read = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        feed(read, 2 * MIN, 31);
        assertThat(picked()).containsExactly("20.0@1->31.0@2");
    }

    @Test
    void aReadingExactlyTheWindowAgoIsOutOfIt() {
        RiseCandidates.State s = selector.newState();
        feed(s, 0, 20);
        feed(s, 5 * MIN, 30);
        assertThat(picked()).isEmpty();
        feed(s, 5 * MIN + 1, 40);
        assertThat(picked()).containsExactly("30.0@5->40.0@5");
    }

    @Test
    void ofEqualLowsTheLaterOneAndTheQueueStaysSmallForASteadySensor() throws Exception {
        RiseCandidates.State s = selector.newState();
        for (int i = 0; i < 1_000; i++) {
            feed(s, i * 1_000L, 20);
        }
        feed(s, 1_000_000, 30);
        assertThat(picked()).containsExactly("20.0@16->30.0@16");
        assertThat(out.get(0).fromTime).isEqualTo(999_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        selector.write(s, new DataOutputStream(bytes));
        assertThat(bytes.size()).as("the queue holds two readings, not a thousand").isLessThan(200);
        RiseCandidates.State read = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        out.clear();
        feed(read, 1_001_000, 41);
        assertThat(picked()).isEmpty(); // still the same rise
        assertThat(selector.isEmpty(read, 1_001_000 + 5 * MIN)).as("three readings without a rise are due").isFalse();
        for (int i = 0; i < 4; i++) {
            feed(read, 1_001_000 + 6 * MIN + i, 41);
        }
        assertThat(picked()).containsExactly("no rise 41.0@22 #3 after 41.0@16");
        assertThat(selector.isEmpty(read, 1_001_000 + 12 * MIN)).isTrue();
    }

    /** A rule resolved by three readings, with a cooldown, as the shipped rules are (10 and 15 minutes). */
    static final RiseRule RESOLVED_BY_3 = new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10,
            Duration.ofMinutes(5), 3, Duration.ofMinutes(15));

    @Test
    void whileAnEpisodeIsOpenItsRisesAreLeftOutAndTheStretchThatResolvesIsOneEvent() throws Exception {
        RiseCandidates cooling = new RiseCandidates(RESOLVED_BY_3);
        RiseCandidates.State s = cooling.newState();
        java.util.function.BiConsumer<Long, Double> feed = (t, v) -> cooling.accept(s, "a", t, v, out::add);
        feed.accept(0L, 20.0);
        feed.accept(MIN, 31.0); // a rise: the episode opens at its time
        feed.accept(2 * MIN, 25.0); // no rise: the first of a stretch
        assertThat(picked()).containsExactly("20.0@0->31.0@1");
        out.clear();
        feed.accept(3 * MIN, 36.0); // a rise while the episode is open: no alert
        feed.accept(4 * MIN, 29.0);
        feed.accept(5 * MIN, 40.0); // a rise breaks the stretch before three: it resolves nothing
        feed.accept(6 * MIN, 33.0);
        feed.accept(7 * MIN, 34.0);
        assertThat(picked()).as("nothing while the episode is provably open and no resolution is complete").isEmpty();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cooling.write(s, new DataOutputStream(bytes));
        RiseCandidates.State read = cooling.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        cooling.accept(read, "a", 8 * MIN, 35.0, out::add); // the third without a rise after 40 (the low is 29 at 4 min)
        assertThat(picked()).as("the stretch, counted across the checkpoint, when it resolves")
                .containsExactly("no rise 35.0@8 #3 after 40.0@5");
        assertThat(out.get(0).kind).isEqualTo(RuleEvent.NORMAL);
        assertThat(out.get(0).metFromValue).as("the rise before it was from 25 at 2 min").isEqualTo(25);
        assertThat(out.get(0).episodeStart).isEqualTo(6 * MIN);
        out.clear();
        cooling.accept(read, "a", 30 * MIN, 20.0, out::add);
        cooling.accept(read, "a", 31 * MIN, 31.0, out::add); // closed, cooldown over: sent at once
        assertThat(picked()).containsExactly("20.0@30->31.0@31");
    }

    @Test
    void readsAVersion3HeldStretchAsTheStretchItCounts() throws Exception {
        RiseCandidates cooling = new RiseCandidates(RESOLVED_BY_3);
        // Version 3: 29 at 4 min, 33 and 34 at 6 and 7 min in the queue; an episode open; held: the rise to 40
        // at 5 min (from 25 at 2 min), then 33 and 34 without a rise.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 3);
        old.writeBoolean(false); // rising
        old.writeLong(7 * MIN);
        old.writeInt(3);
        for (long[] r : new long[][] {{4, 29}, {6, 33}, {7, 34}}) {
            old.writeLong(r[0] * MIN);
            old.writeDouble(r[1]);
        }
        old.writeInt(2); // normalsPassed
        old.writeBoolean(true);
        old.writeLong(5 * MIN);
        old.writeBoolean(true); // episodes: exact, open, resolvedAt, at, matchAt, resolutionAt
        old.writeBoolean(true);
        old.writeLong(Long.MIN_VALUE);
        old.writeLong(7 * MIN);
        old.writeBoolean(false);
        old.writeBoolean(false);
        old.writeInt(3);
        for (double[] r : new double[][] {{5, 40, 2, 25}, {6, 33, 4, 29}, {7, 34, 4, 29}}) {
            old.writeLong((long) r[0] * MIN);
            old.writeDouble(r[1]);
            old.writeLong((long) r[2] * MIN);
            old.writeDouble(r[3]);
        }
        RiseCandidates.State v3 = cooling.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        cooling.accept(v3, "a", 8 * MIN, 35.0, out::add);
        assertThat(picked()).containsExactly("no rise 35.0@8 #3 after 40.0@5");
        assertThat(out.get(0).episodeStart).isEqualTo(6 * MIN);
    }

    /**
     * A state of version 1 (which did not follow the episodes: the lifecycle may have one open, or
     * be cooling down, that the selector cannot know of) sends every match, and is as good as fresh
     * once no rise came since the last resolution (no episode can be open: its match and the readings
     * that resolve it were all sent) and the watermark is a cooldown past the latest reading (the
     * lifecycle's last resolution was at a reading no later), its queue a window behind.
     */
    @Test
    void aStateOfVersion1SendsEveryMatchAndIsForgottenACooldownAfterItsLatestReading() throws Exception {
        RiseCandidates cooling = new RiseCandidates(RESOLVED_BY_3); // within 5 min, cooldown 15 min
        // 20 at 0, a rise to 31 at 1 min (an episode maybe open), 25 at 2 min: one reading without a rise since.
        RiseCandidates.State v1 = cooling.read(version1(2 * MIN, new long[] {0, 2 * MIN}, new double[] {20, 25}, 1, true, MIN));
        cooling.accept(v1, "a", 3 * MIN, 24, out::add);
        cooling.accept(v1, "a", 4 * MIN, 36, out::add); // a rise while an episode may be open: sent (episodes unknown)
        for (int i = 5; i <= 7; i++) {
            cooling.accept(v1, "a", i * MIN, 30, out::add);
        }
        // The stretch in progress went to the resolving pattern of the form before: it resolves nothing
        // here (what it follows is not known); the one after the rise at 4 min does.
        assertThat(picked()).containsExactly("20.0@0->36.0@4", "no rise 30.0@7 #3 after 36.0@4");
        assertThat(cooling.isEmpty(v1, 22 * MIN - 1)).as("a cooldown may last").isFalse();
        assertThat(cooling.isEmpty(v1, 22 * MIN)).isTrue();

        // Resolved before the stop, and the sensor never reports again: from the state's latest reading.
        RiseCandidates.State quiet = cooling.read(version1(4 * MIN, new long[] {4 * MIN}, new double[] {23}, 3, false, MIN));
        assertThat(cooling.isEmpty(quiet, 19 * MIN - 1)).as("a cooldown may last").isFalse();
        assertThat(cooling.isEmpty(quiet, 19 * MIN)).isTrue();
        // Without a cooldown, once its queue is a window behind.
        RiseCandidates.State quietNoCooldown = selector.read(version1(4 * MIN, new long[] {4 * MIN}, new double[] {23}, 3,
                false, MIN));
        assertThat(selector.isEmpty(quietNoCooldown, 9 * MIN - 1)).isFalse();
        assertThat(selector.isEmpty(quietNoCooldown, 9 * MIN)).isTrue();
        // No reading of the metric ever (a sensor that sends none): nothing to resolve, no cooldown.
        RiseCandidates.State none = cooling.read(version1(Long.MIN_VALUE, new long[0], new double[0], Integer.MAX_VALUE,
                false, Long.MIN_VALUE));
        assertThat(cooling.isEmpty(none, 0)).isTrue();
        // And while a rise is unresolved it stays, however long after.
        RiseCandidates.State open = cooling.read(version1(4 * MIN, new long[] {4 * MIN}, new double[] {23}, 1, true, 3 * MIN));
        assertThat(cooling.isEmpty(open, 1_000 * MIN)).isFalse();
    }

    /** A rise state as version 1 wrote it: not rising, its latest reading, its queue, the readings without a rise since a rise. */
    private static DataInputStream version1(long lastTime, long[] times, double[] values, int normalsPassed,
            boolean unresolved, long lastMatchTime) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 1);
        old.writeBoolean(false);
        old.writeLong(lastTime);
        old.writeInt(times.length);
        for (int i = 0; i < times.length; i++) {
            old.writeLong(times[i]);
            old.writeDouble(values[i]);
        }
        old.writeInt(normalsPassed);
        old.writeBoolean(unresolved);
        old.writeLong(lastMatchTime);
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
