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
                : "no rise " + e.value + "@" + e.timestamp / MIN));
        return p;
    }

    @Test
    void theFirstReadingOfEachRiseWithTheLowestOfTheWindowBeforeIt() {
        RiseCandidates.State s = selector.newState();
        feed(s, 0, 25);
        feed(s, MIN, 20);
        feed(s, 2 * MIN, 30); // +10 from 20
        feed(s, 3 * MIN, 31); // same rise
        feed(s, 4 * MIN, 22); // over
        feed(s, 5 * MIN, 32); // +10 from 22 at 4 min (20 at 1 min is still in the window: +12)
        // Readings without a rise before any rise can resolve nothing: not passed on; after one they can.
        assertThat(picked()).containsExactly("20.0@1->30.0@2", "no rise 22.0@4", "20.0@1->32.0@5");
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
        assertThat(bytes.size()).as("the queue holds two readings, not a thousand").isLessThan(96);
        RiseCandidates.State read = selector.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        out.clear();
        feed(read, 1_001_000, 41);
        assertThat(picked()).isEmpty(); // still the same rise
        assertThat(selector.isEmpty(read, 1_001_000 + 5 * MIN)).as("three readings without a rise are due").isFalse();
        for (int i = 0; i < 4; i++) {
            feed(read, 1_001_000 + 6 * MIN + i, 41);
        }
        assertThat(picked()).containsExactly("no rise 41.0@22", "no rise 41.0@22", "no rise 41.0@22");
        assertThat(selector.isEmpty(read, 1_001_000 + 12 * MIN)).isTrue();
    }
}
