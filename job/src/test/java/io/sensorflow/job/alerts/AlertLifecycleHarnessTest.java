package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertLifecycle} alone: its two CEP operators' matches come in any order between the two,
 * and it takes them in event-time order once the watermark has passed them.
 */
class AlertLifecycleHarnessTest {

    static final long S = 1_000L;
    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofMinutes(1), 2, Duration.ZERO);

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertLifecycle(HOT, Duration.ofHours(1))),
                a -> a.sensorId, Types.STRING);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static Alert match(long start, long end) {
        Alert a = new Alert();
        a.alertId = "id-" + start / S;
        a.ruleId = "hot";
        a.ruleKind = "sequence";
        a.severity = "critical";
        a.status = Alert.FIRING;
        a.sensorId = "a";
        a.spanStart = start;
        a.spanEnd = end;
        a.readingTimes = new long[] {start, end};
        a.values = new double[] {71, 72};
        return a;
    }

    private static Alert resolution(long at) {
        Alert a = new Alert();
        a.ruleId = "hot";
        a.status = Alert.RESOLVED;
        a.sensorId = "a";
        a.spanStart = at - S;
        a.spanEnd = at;
        a.resolvedAt = at;
        a.readingTimes = new long[] {at};
        a.values = new double[] {50};
        return a;
    }

    private void in(Alert a) throws Exception {
        h.processElement(new StreamRecord<>(a, AlertLifecycle.time(a)));
    }

    private List<String> out() {
        List<String> seen = new ArrayList<>();
        for (Object o; (o = h.getOutput().poll()) != null; ) {
            if (o instanceof StreamRecord<?> r) {
                Alert a = (Alert) r.getValue();
                seen.add(a.status + " " + a.alertId + " " + a.spanStart / S + ".." + a.spanEnd / S);
            }
        }
        return seen;
    }

    @Test
    void takesMatchesInEventTimeOrderWhateverOrderTheyCameIn() throws Exception {
        in(resolution(100 * S)); // the resolution's operator ran ahead of the firing one
        in(match(10 * S, 30 * S));
        in(match(150 * S, 170 * S));
        in(match(40 * S, 60 * S)); // a repeat while open
        h.processWatermark(new Watermark(99 * S));
        assertThat(out()).containsExactly("FIRING id-10 10..30");
        h.processWatermark(new Watermark(200 * S));
        assertThat(out()).containsExactly("RESOLVED id-10 10..100", "FIRING id-150 150..170");
    }

    @Test
    void atOneTimeTheResolutionComesFirst() throws Exception {
        in(match(10 * S, 30 * S));
        in(match(40 * S, 60 * S));
        in(resolution(60 * S)); // resolves the first, then the second opens
        in(resolution(30 * S)); // nothing is open yet when it is taken
        h.processWatermark(new Watermark(100 * S));
        assertThat(out()).containsExactly("FIRING id-10 10..30", "RESOLVED id-10 10..60", "FIRING id-40 40..60");
    }

    @Test
    void aResolutionWithNothingOpenIsDroppedAndNothingIsKept() throws Exception {
        in(resolution(30 * S));
        h.processWatermark(new Watermark(100 * S));
        assertThat(out()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
