package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.StuckRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckCandidatesTest {

    static final long S = 1_000;
    static final StuckRule THREE = StuckRule.ofReadings("stuck", Severity.WARNING, Metric.HUMIDITY, 3);
    static final StuckRule TEN_SECONDS = StuckRule.ofDuration("stuck", Severity.WARNING, Metric.HUMIDITY, Duration.ofSeconds(10));

    private final List<RuleEvent> out = new ArrayList<>();

    private static void feed(StuckCandidates selector, StuckCandidates.State s, long t, double v, List<RuleEvent> out) {
        selector.accept(s, "a", t, v, out::add);
    }

    private List<String> picked() {
        List<String> p = new ArrayList<>();
        out.forEach(e -> p.add(e.kind == RuleEvent.REPEAT
                ? "repeat " + e.value + "@" + e.timestamp / S + " #" + e.runLength + " since " + e.fromTime / S
                : (e.kind == RuleEvent.BACK ? "back " : "kind " + e.kind + " ") + e.value + "@" + e.timestamp / S));
        return p;
    }

    @Test
    void ofEachRunTheReadingThatCompletesItAndAfterAMatchTheFirstOtherValue() {
        StuckCandidates selector = new StuckCandidates(THREE);
        StuckCandidates.State s = selector.newState();
        feed(selector, s, 0, 50, out);
        feed(selector, s, 1 * S, 50);
        feed(selector, s, 2 * S, 50); // the third: a match
        feed(selector, s, 3 * S, 50); // the same run: nothing
        feed(selector, s, 4 * S, 51); // another value after a match: resolves
        feed(selector, s, 5 * S, 51);
        feed(selector, s, 6 * S, 52); // another value with no match since the last resolution: nothing
        feed(selector, s, 7 * S, Double.NaN); // no humidity: neither extends nor breaks
        feed(selector, s, 8 * S, 52);
        feed(selector, s, 9 * S, 52);
        assertThat(picked()).containsExactly("repeat 50.0@2 #3 since 0", "back 51.0@4", "repeat 52.0@9 #3 since 6");
        assertThat(out.get(0).episodeStart).isEqualTo(0);
        assertThat(out.get(0).fromValue).isEqualTo(50);
    }

    private void feed(StuckCandidates selector, StuckCandidates.State s, long t, double v) {
        feed(selector, s, t, v, out);
    }

    @Test
    void aDurationCountsFromTheFirstReadingOfTheRunAndMinusZeroEqualsZero() {
        StuckCandidates selector = new StuckCandidates(TEN_SECONDS);
        StuckCandidates.State s = selector.newState();
        feed(selector, s, 0, 0.0);
        feed(selector, s, 5 * S, -0.0);
        feed(selector, s, 9 * S, 0.0); // 9 s: not yet
        feed(selector, s, 10 * S, 0.0); // 10 s after the start: a match
        feed(selector, s, 11 * S, 1.0);
        assertThat(picked()).containsExactly("repeat 0.0@10 #4 since 0", "back 1.0@11");
    }

    @Test
    void aChangeAtTheTimeOfTheMatchDoesNotResolveItSoTheNextChangeAfterARepeatDoes() {
        StuckCandidates selector = new StuckCandidates(StuckRule.ofReadings("stuck", Severity.WARNING, Metric.HUMIDITY, 2));
        StuckCandidates.State s = selector.newState();
        feed(selector, s, 0, 50);
        feed(selector, s, S, 50); // a match at 1 s
        feed(selector, s, S, 60); // another value at 1 s: taken before the match, it ends nothing
        feed(selector, s, 2 * S, 61); // another value, not after a repeat: no resolution
        feed(selector, s, 3 * S, 61); // a repeat: a match (the same episode goes on)
        feed(selector, s, 4 * S, 62); // resolves
        assertThat(picked()).containsExactly("repeat 50.0@1 #2 since 0", "back 60.0@1", "repeat 61.0@3 #2 since 2",
                "back 62.0@4");
    }

    @Test
    void runsStartingAtOneTimeAreToldApartByTheirOrdinal() {
        StuckCandidates selector = new StuckCandidates(StuckRule.ofReadings("stuck", Severity.WARNING, Metric.HUMIDITY, 2));
        StuckCandidates.State s = selector.newState();
        feed(selector, s, 0, 50);
        feed(selector, s, 0, 50);
        feed(selector, s, 0, 51);
        feed(selector, s, 0, 51);
        assertThat(out).filteredOn(e -> e.kind == RuleEvent.REPEAT).extracting(e -> e.episodeOrdinal).containsExactly(0, 1);
    }

    @Test
    void theStateIsKeptOnceTheSensorReportedAndSurvivesACheckpoint() throws Exception {
        StuckCandidates selector = new StuckCandidates(THREE);
        StuckCandidates.State s = selector.newState();
        assertThat(selector.isEmpty(s, 0)).isTrue();
        feed(selector, s, 0, 50);
        feed(selector, s, S, 50);
        assertThat(selector.isEmpty(s, Long.MAX_VALUE - 1)).as("the next reading may repeat the last").isFalse();
        StuckCandidates.State restored = roundTrip(selector, s);
        feed(selector, restored, 2 * S, 50);
        feed(selector, restored, 3 * S, 49);
        assertThat(picked()).containsExactly("repeat 50.0@2 #3 since 0", "back 49.0@3");
    }

    @Test
    void aStateOfANewerFormatOrWithoutOneIsRefused() {
        StuckCandidates selector = new StuckCandidates(THREE);
        assertThatThrownBy(() -> selector.read(new DataInputStream(new ByteArrayInputStream(
                new byte[] {(byte) (CandidateSelector.FORMAT_VERSION_MARK + StuckCandidates.FORMAT_VERSION + 1)}))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stuck rule state of format version " + (StuckCandidates.FORMAT_VERSION + 1));
        assertThatThrownBy(() -> selector.read(new DataInputStream(new ByteArrayInputStream(new byte[] {1}))))
                .isInstanceOf(IOException.class).hasMessageContaining("without a format version");
    }

    private static StuckCandidates.State roundTrip(StuckCandidates selector, StuckCandidates.State s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        selector.write(s, new DataOutputStream(bytes));
        return selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
