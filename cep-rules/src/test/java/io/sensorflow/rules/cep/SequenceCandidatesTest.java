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

    private List<String> picked() {
        List<String> p = new ArrayList<>();
        out.forEach(e -> p.add((e.kind == RuleEvent.EXTREME ? "E" : "N") + e.timestamp / 1000 + "/" + e.episodeStart / 1000));
        return p;
    }

    @Test
    void passesTheRunUpToItsFirstMatchThenTheReadingsThatCanResolveIt() {
        SequenceCandidates.State s = selector.newState();
        for (int i = 1; i <= 6; i++) {
            feed(s, i * 10_000L, 75);
        }
        for (int i = 7; i <= 11; i++) {
            feed(s, i * 10_000L, 20);
        }
        // The resolution needs 3 (the rule's count) in a row within the threshold: the rest can change nothing.
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10", "N70/70", "N80/80", "N90/90");
        assertThat(selector.isEmpty(s, 0)).isTrue();
    }

    @Test
    void afterARunThatDidNotMatchOnlyTheReadingThatEndsItIsPassedOn() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 20); // nothing to break, nothing to resolve
        feed(s, 20_000, 75);
        feed(s, 30_000, 75);
        feed(s, 40_000, 20); // breaks the run
        feed(s, 50_000, 75); // a new run: the count starts again
        feed(s, 60_000, 20);
        feed(s, 70_000, 20);
        feed(s, 80_000, 20);
        feed(s, 90_000, 20);
        // Neither run matched: only the reading that ends each is passed on, no episode can be open to resolve.
        assertThat(picked()).containsExactly("E20/20", "E30/20", "N40/40", "E50/50", "N60/60");
        assertThat(selector.isEmpty(s, 0)).isTrue();
    }

    @Test
    void aRuleResolvedByOneReadingPassesOneAfterEachRun() {
        SequenceCandidates one = new SequenceCandidates(new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE,
                true, 70, 3, Duration.ofSeconds(60), 1, Duration.ZERO));
        SequenceCandidates.State s = one.newState();
        one.accept(s, "a", 10_000, 75, out::add);
        one.accept(s, "a", 20_000, 20, out::add);
        one.accept(s, "a", 30_000, 20, out::add);
        assertThat(picked()).containsExactly("E10/10", "N20/20");
    }

    @Test
    void readingsWithoutTheMetricChangeNothing() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 15_000, Double.NaN);
        feed(s, 20_000, 75);
        assertThat(picked()).containsExactly("E10/10", "E20/10");
        assertThat(selector.isEmpty(s, 0)).isFalse();
    }

    @Test
    void keepsPassingWhileTheLastThreeSpanAMinuteOrMore() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 0, 75);
        feed(s, 30_000, 75);
        feed(s, 60_000, 75); // span of exactly 60 s: no match yet
        feed(s, 89_999, 75); // 30 s .. 89.999 s: a match
        feed(s, 95_000, 75);
        assertThat(picked()).containsExactly("E0/0", "E30/0", "E60/0", "E89/0");
    }

    @Test
    void stateSurvivesBeingWrittenAndRead() throws Exception {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 75);
        feed(s, 20_000, 75);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        selector.write(s, new DataOutputStream(bytes));
        SequenceCandidates.State read = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        out.clear();
        feed(read, 30_000, 75);
        feed(read, 40_000, 75);
        assertThat(picked()).containsExactly("E30/10"); // the third of the run matched: nothing after
        out.clear();
        feed(read, 50_000, 20);
        assertThat(picked()).containsExactly("N50/50");
    }

    @Test
    void readsTheStateOfTheVersionBeforeResolutions() throws Exception {
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
        feed(read, 30_000, 20); // the run it was in needs its end
        feed(read, 40_000, 75);
        assertThat(picked()).containsExactly("N30/30", "E40/40");

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
    }

    @Test
    void refusesTheStateOfANewerVersion() {
        byte[] newer = {(byte) (CandidateSelector.FORMAT_VERSION_MARK + SequenceCandidates.FORMAT_VERSION + 1)};
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> selector.read(new DataInputStream(new ByteArrayInputStream(newer))))
                .hasMessageContaining("format version 2").hasMessageContaining("newer");
    }
}
