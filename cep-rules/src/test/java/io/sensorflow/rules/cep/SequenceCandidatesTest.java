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
        out.forEach(e -> p.add((e.kind == RuleEvent.EXTREME ? "E" : "B") + e.timestamp / 1000 + "/" + e.episodeStart / 1000));
        return p;
    }

    @Test
    void passesTheRunUpToItsFirstMatchAndNothingAfter() {
        SequenceCandidates.State s = selector.newState();
        for (int i = 1; i <= 6; i++) {
            feed(s, i * 10_000L, 75);
        }
        feed(s, 70_000, 20);
        assertThat(picked()).containsExactly("E10/10", "E20/10", "E30/10");
        assertThat(selector.isEmpty(s, 0)).isTrue();
    }

    @Test
    void aRunThatDoesNotMatchIsClosedByOneBreakerAndNormalReadingsAreDropped() {
        SequenceCandidates.State s = selector.newState();
        feed(s, 10_000, 20);
        feed(s, 20_000, 75);
        feed(s, 30_000, 75);
        feed(s, 40_000, 20);
        feed(s, 50_000, 20);
        assertThat(picked()).containsExactly("E20/20", "E30/20", "B40/20");
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
    }
}
