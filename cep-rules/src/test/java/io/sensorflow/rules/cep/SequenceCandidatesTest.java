package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceCandidatesTest {

    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofSeconds(60));

    private final SequenceCandidates selector = new SequenceCandidates(HOT);
    private final List<RuleEvent> out = new ArrayList<>();

    private void feed(SequenceCandidates.State s, long t, double v) {
        selector.accept(s, "a", t, v, out::add);
    }

    /** E (extreme), B (back), N (normal) time/run or stretch start; B and N #place in their stretch. */
    private List<String> picked() {
        List<String> p = new ArrayList<>();
        out.forEach(e -> p.add((e.kind == RuleEvent.EXTREME ? "E" : e.kind == RuleEvent.BACK ? "B" : "N") + e.timestamp / 1000
                + "/" + e.episodeStart / 1000 + (e.kind == RuleEvent.EXTREME ? "" : "#" + e.runLength)));
        return p;
    }

    @Test
    void holdsARunUntilItsCountthReadingThenSendsItWholeItsEndAndTheReadingThatCanResolveIt() {
        SequenceCandidates.State s = selector.newState();
        for (int i = 1; i <= 6; i++) {
            feed(s, i * 10_000L, 75);
            if (i == 2) {
                assertThat(picked()).as("two of three: held").isEmpty();
            }
        }
        for (int i = 7; i <= 11; i++) {
            feed(s, i * 10_000L, 20);
        }
        // Every reading of a run of three may be a match (the pattern judges within); the first back
        // ends it; the resolution is the 3rd (the rule's count) in a row within the threshold, which
        // carries its stretch: the rest can change nothing.
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "E40/10", "E50/10", "E60/10",
                "B70/70#1", "N90/70#3");
        assertThat(out.get(7).metTime).as("the last reading past the threshold").isEqualTo(60_000);
        assertThat(out.get(7).metValue).isEqualTo(75);
        assertThat(selector.isEmpty(s, 0)).isTrue();
    }

    @Test
    void aRunBrokenBeforeItsCountIsLeftOutWithTheReadingThatBrokeIt() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 20); // nothing to break, nothing to resolve
        feed(s, 20_000, 75);
        feed(s, 30_000, 75);
        feed(s, 40_000, 20); // breaks the run: it was part of no match
        feed(s, 50_000, 75); // a new run: the count starts again
        feed(s, 60_000, 20);
        feed(s, 70_000, 20);
        feed(s, 80_000, 20);
        feed(s, 90_000, 20);
        assertThat(picked()).isEmpty();
        assertThat(selector.isEmpty(s, 0)).isTrue();
    }

    @Test
    void whileAnEpisodeMayBeOpenARunBreaksAResolutionWithoutBeingSent() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 20_000, 75);
        feed(s, 30_000, 75); // a run of three: an episode may be open
        feed(s, 40_000, 20);
        feed(s, 50_000, 75); // one reading past the threshold: the resolution starts again
        feed(s, 60_000, 20);
        feed(s, 70_000, 20);
        feed(s, 80_000, 20); // resolved
        feed(s, 90_000, 75); // nothing open: held
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "B40/40#1", "N80/60#3");
        assertThat(out.get(4).metTime).as("the stretch follows the reading at 50 s").isEqualTo(50_000);
    }

    @Test
    void aRuleResolvedByOneReadingPassesOneAfterEachRun() {
        SequenceCandidates one = new SequenceCandidates(new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE,
                true, 70, 3, Duration.ofSeconds(60), 1, Duration.ZERO));
        SequenceCandidates.State s = one.newState();
        for (int i = 1; i <= 3; i++) {
            one.accept(s, "a", i * 10_000L, 75, out::add);
        }
        one.accept(s, "a", 40_000, 20, out::add);
        one.accept(s, "a", 50_000, 20, out::add);
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "B40/40#1");
    }

    @Test
    void readingsWithoutTheMetricChangeNothing() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 15_000, Double.NaN);
        feed(s, 20_000, 75);
        assertThat(picked()).isEmpty();
        assertThat(selector.isEmpty(s, 0)).as("a run held").isFalse();
        feed(s, 25_000, Double.NaN);
        feed(s, 30_000, 75);
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10");
    }

    @Test
    void leavesWithinToThePattern() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 0, 75);
        feed(s, 30_000, 75);
        feed(s, 60_000, 75); // span of exactly 60 s: no match there, but later ones of the run may be
        feed(s, 89_999, 75);
        feed(s, 95_000, 75);
        assertThat(picked()).containsExactly("E0/0", "E30/0", "E60/0", "E89/0", "E95/0");
    }

    @Test
    void stateSurvivesBeingWrittenAndReadHeldReadingsToo() throws Exception {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 20_000, 75);
        SequenceCandidates.State read = roundTrip(s);
        feed(read, 30_000, 75);
        feed(read, 40_000, 75);
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "E40/10");
        out.clear();
        feed(read, 50_000, 20);
        assertThat(picked()).containsExactly("B50/50#1");
    }

    @Test
    void runsStartingAtOneTimeKeepTheirOrdinalAcrossACheckpoint() throws Exception {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 10_000, 20);
        feed(s, 10_000, 75); // the second run starting at 10 s
        SequenceCandidates.State read = roundTrip(s);
        feed(read, 20_000, 75);
        feed(read, 30_000, 75);
        assertThat(out).extracting(e -> e.episodeOrdinal).containsExactly(1, 1, 1);
    }

    private SequenceCandidates.State roundTrip(SequenceCandidates.State s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        selector.write(s, new DataOutputStream(bytes));
        return selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void withACooldownWhileAnEpisodeIsProvablyOpenItsRunsAreLeftOutAndItsStretchesCounted() throws Exception {
        SequenceCandidates cooling = new SequenceCandidates(new SequenceRule("hot", Severity.CRITICAL, "",
                Metric.TEMPERATURE, true, 70, 3, Duration.ofSeconds(60), 3, Duration.ofSeconds(60)));
        SequenceCandidates.State s = cooling.newState();
        double[] values = {75, 75, 75, 20, 75, 75, 75, 20, 75, 75, 20, 20};
        for (int i = 0; i < values.length; i++) {
            cooling.accept(s, "a", (i + 1) * 10_000L, values[i], out::add);
        }
        // The run of 10-30 s opens the episode (its readings and the BACK after it reached CEP before
        // the episode was decided open); from 50 s on it is provably open: the run of 50-70 s matches
        // at 70 s but makes no alert, so it is left out with its end; so is 90-100 s; the stretch
        // after 100 s is counted.
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "B40/40#1");
        assertThat(cooling.isEmpty(s, 120_000)).isFalse();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cooling.write(s, new DataOutputStream(bytes));
        SequenceCandidates.State read = cooling.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        cooling.accept(read, "a", 130_000, 20, out::add); // the third back: resolved, one event carrying its stretch
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "B40/40#1", "N130/110#3");
        assertThat(out.get(4).metTime).isEqualTo(100_000);
        assertThat(out.get(4).kind).isEqualTo(RuleEvent.NORMAL);
        out.clear();
        // Resolved at 130 s: nothing open, the next run is held only until its count (a cooldown lasts,
        // which the lifecycle applies), then sent whole.
        for (int i = 14; i <= 16; i++) {
            cooling.accept(read, "a", i * 10_000L, 75, out::add);
        }
        assertThat(picked()).containsExactly("E140/140", "E150/140", "E160/140");
    }

    @Test
    void aStateOfVersion2HoldsNothingAndIsForgottenACooldownAfterItsLatestReading() throws Exception {
        SequenceCandidates cooling = new SequenceCandidates(new SequenceRule("hot", Severity.CRITICAL, "",
                Metric.TEMPERATURE, true, 70, 3, Duration.ofSeconds(60), 3, Duration.ofSeconds(60)));
        // Version 2: not in a run, a run of three matched at 30 s (an episode maybe open), one reading back since.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 2);
        old.writeBoolean(false);
        old.writeBoolean(false);
        old.writeBoolean(true);
        old.writeLong(10_000);
        old.writeInt(0);
        old.writeInt(0);
        old.writeInt(0);
        old.writeInt(1);
        old.writeBoolean(true);
        old.writeLong(30_000);
        SequenceCandidates.State v2 = cooling.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        double[] values = {75, 20, 20, 20};
        for (int i = 0; i < values.length; i++) {
            cooling.accept(v2, "a", (i + 5) * 10_000L, values[i], out::add);
        }
        // Episodes unknown: nothing left out but what matches nothing (the run of one); the stretch after it resolves.
        assertThat(picked()).containsExactly("N80/60#3");
        assertThat(cooling.isEmpty(v2, 139_999)).as("a cooldown may last").isFalse();
        assertThat(cooling.isEmpty(v2, 140_000)).isTrue();
    }

    @Test
    void withoutACooldownARunWhileAnEpisodeIsOpenIsSent() {
        SequenceCandidates.State s = selector.newState();
        double[] values = {75, 75, 75, 20, 75, 75, 75, 20, 20, 20};
        for (int i = 0; i < values.length; i++) {
            feed(s, (i + 1) * 10_000L, values[i]);
        }
        // Open from 40 s, but a match at a resolution's own time may open the next episode.
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "B40/40#1", "E50/50", "E60/50", "E70/50",
                "B80/80#1", "N100/80#3");
    }

    @Test
    void readsTheStateOfTheVersionsBefore() throws Exception {
        // Written by the unversioned form: in a run, not matched, started at 10 s, two readings (10 s, 20 s).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeBoolean(true);
        old.writeBoolean(false);
        old.writeLong(10_000);
        old.writeInt(2);
        old.writeLong(10_000);
        old.writeLong(20_000);
        SequenceCandidates.State read = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        feed(read, 30_000, 20); // the run it was in reached CEP: it needs its end
        feed(read, 40_000, 75); // nothing open: held
        assertThat(picked()).containsExactly("B30/30#1");
        assertThat(out.get(0).metTime).as("its last reading past the threshold was not kept").isEqualTo(RuleEvent.NONE);

        bytes.reset();
        old.writeBoolean(false); // not in a run: nothing is due
        old.writeBoolean(false);
        old.writeLong(10_000);
        old.writeInt(0);
        out.clear();
        SequenceCandidates.State idle = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        feed(idle, 50_000, 20);
        assertThat(picked()).isEmpty();
        assertThat(selector.isEmpty(idle, 0)).isTrue();

        // Version 1: in a run that matched at 30 s (10, 20, 30 s), an episode maybe open.
        bytes.reset();
        old.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 1);
        old.writeBoolean(true);
        old.writeBoolean(true);
        old.writeLong(10_000);
        old.writeInt(3);
        old.writeLong(10_000);
        old.writeLong(20_000);
        old.writeLong(30_000);
        old.writeInt(0);
        old.writeBoolean(true);
        old.writeLong(30_000);
        SequenceCandidates.State v1 = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        feed(v1, 40_000, 75); // the run goes on reaching CEP
        feed(v1, 50_000, 20);
        feed(v1, 60_000, 20);
        feed(v1, 70_000, 20);
        assertThat(picked()).containsExactly("E40/10", "B50/50#1", "N70/50#3");
        assertThat(selector.isEmpty(v1, 0)).isTrue();

        // Version 3, with a cooldown of 60 s: an episode open, its way to the resolution held (80 s past
        // the threshold, 90 and 100 s back), none of it sent; the run of 70-80 s was held with it.
        SequenceCandidates cooling = new SequenceCandidates(new SequenceRule("hot", Severity.CRITICAL, "",
                Metric.TEMPERATURE, true, 70, 3, Duration.ofSeconds(60), 3, Duration.ofSeconds(60)));
        bytes.reset();
        old.writeByte(CandidateSelector.FORMAT_VERSION_MARK + 3);
        old.writeBoolean(false); // inRun
        old.writeBoolean(true); // sent
        old.writeBoolean(true); // started
        old.writeLong(70_000);
        old.writeInt(0);
        old.writeInt(0); // length
        old.writeInt(0); // held
        old.writeInt(2); // normalsPassed
        old.writeBoolean(true);
        old.writeLong(30_000);
        old.writeBoolean(true); // episodes: exact, open, resolvedAt, at, matchAt, resolutionAt
        old.writeBoolean(true);
        old.writeLong(Long.MIN_VALUE);
        old.writeLong(100_000);
        old.writeBoolean(false);
        old.writeBoolean(false);
        old.writeInt(3); // the stretch
        old.writeLong(80_000);
        old.writeDouble(75);
        old.writeLong(90_000);
        old.writeDouble(20);
        old.writeLong(100_000);
        old.writeDouble(20);
        out.clear();
        SequenceCandidates.State v3 = cooling.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        cooling.accept(v3, "a", 110_000, 20, out::add);
        assertThat(picked()).as("the held stretch, counted on").containsExactly("N110/90#3");
        assertThat(out.get(0).metTime).isEqualTo(80_000);
    }

    @Test
    void refusesTheStateOfANewerVersion() {
        byte[] newer = {(byte) (CandidateSelector.FORMAT_VERSION_MARK + SequenceCandidates.FORMAT_VERSION + 1)};
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> selector.read(new DataInputStream(new ByteArrayInputStream(newer))))
                .hasMessageContaining("format version " + (SequenceCandidates.FORMAT_VERSION + 1)).hasMessageContaining("newer");
    }
}
