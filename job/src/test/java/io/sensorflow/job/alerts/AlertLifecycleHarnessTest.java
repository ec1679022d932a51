package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.metrics.AlertMetrics;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Late;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
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
        List<Alert> alerts = new ArrayList<>();
        for (Object o; (o = h.getOutput().poll()) != null; ) {
            if (o instanceof StreamRecord<?> r) {
                alerts.add((Alert) r.getValue());
            }
        }
        return described(alerts);
    }

    private static List<String> described(List<Alert> alerts) {
        List<String> seen = new ArrayList<>();
        for (Alert a : alerts) {
            seen.add(a.status + " " + a.alertId + " " + a.spanStart / S + ".." + a.spanEnd / S);
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

    /**
     * Late matches reach the lifecycle from two CEP operators that run apart: each sends a match
     * once its watermark passes the match's record timestamp (the stamp the selector gave the late
     * event, ahead of the watermark), which is far ahead of the match's own time. So the lifecycle's
     * watermark may have passed a late match's time while the other operator's late matches of
     * earlier times are still to come: a match is due once the watermark passes its stamp, not its
     * time. Found by BatchingGatewaysIT under load: a late RESOLVED taken before the late FIRING it
     * resolves was dropped, and the episode stayed open.
     */
    @Test
    void aLateMatchIsTakenOnceTheWatermarkPassesItsStampNotItsTime() throws Exception {
        try (var late = harness(HOT.withLate(Late.EVALUATE), ruleMetrics())) {
            late.open();
            late.processWatermark(new Watermark(90 * S)); // both CEP operators are at 90 s
            Alert firing = match(60 * S, 62 * S);
            firing.late = true;
            Alert back = resolution(64 * S);
            back.late = true;
            // The resolving operator's watermark passed 95 s (the late events' stamp) first: its match
            // comes, and its watermark, while the firing operator's is at 94.999 s.
            late.processElement(new StreamRecord<>(back, 95 * S));
            late.processWatermark(new Watermark(95 * S - 1));
            late.processElement(new StreamRecord<>(firing, 95 * S));
            late.processWatermark(new Watermark(101 * S));
            assertThat(described(late.extractOutputValues())).containsExactly("FIRING id-60 60..62", "RESOLVED id-60 60..64");
        }
        // The other way round: the firing operator first, with the FIRING of a next episode, taken
        // while the first was still open for want of its RESOLVED, was suppressed.
        try (var late = harness(HOT.withLate(Late.EVALUATE), ruleMetrics())) {
            late.open();
            late.processElement(new StreamRecord<>(match(30 * S, 32 * S), 32 * S)); // on time: opens
            late.processWatermark(new Watermark(90 * S));
            Alert back = resolution(64 * S);
            back.late = true;
            Alert next = match(66 * S, 68 * S);
            next.late = true;
            late.processElement(new StreamRecord<>(next, 95 * S));
            late.processWatermark(new Watermark(95 * S - 1));
            late.processElement(new StreamRecord<>(back, 95 * S));
            late.processWatermark(new Watermark(101 * S));
            assertThat(described(late.extractOutputValues())).containsExactly("FIRING id-30 30..32", "RESOLVED id-30 30..64", "FIRING id-66 66..68");
        }
    }

    /**
     * A late FIRING's latency is its detection delay and more: it goes to a histogram and a counter
     * of its own, so that the on-time alerts' latency stays what it measures (the web UI's p99).
     */
    @Test
    void aLateFiringIsCountedApartFromTheOnTimeLatency() throws Exception {
        InterceptingOperatorMetricGroup metrics = ruleMetrics();
        try (var late = harness(HOT.withLate(Late.EVALUATE), metrics)) {
            late.open();
            Alert onTime = match(10 * S, 30 * S);
            Alert queued = match(10 * S, 30 * S);
            queued.sensorId = "b";
            queued.late = true;
            queued.detectionDelayMs = 600 * S; // its sensor's queue came ten minutes late
            long before = System.currentTimeMillis();
            late.processElement(new StreamRecord<>(onTime, AlertLifecycle.time(onTime)));
            late.processElement(new StreamRecord<>(queued, AlertLifecycle.time(queued)));
            late.processWatermark(new Watermark(100 * S));
            long after = System.currentTimeMillis();

            assertThat(late.extractOutputValues()).hasSize(2);
            assertThat(((Counter) metrics.get(AlertMetrics.FIRING)).getCount()).isEqualTo(2);
            assertThat(((Counter) metrics.get(AlertMetrics.FIRING_LATE)).getCount()).isEqualTo(1);
            Histogram onTimeLatency = (Histogram) metrics.get(AlertMetrics.LATENCY);
            Histogram lateLatency = (Histogram) metrics.get(AlertMetrics.LATE_LATENCY);
            assertThat(onTimeLatency.getCount()).isEqualTo(1);
            assertThat(lateLatency.getCount()).isEqualTo(1);
            // The same measure for both: the wall clock at detection minus the time the alert was due.
            assertThat(lateLatency.getStatistics().getMax()).isBetween(before - 30 * S, after - 30 * S);
        }
        // A rule that skips late readings has no late alert, and neither metric.
        InterceptingOperatorMetricGroup skipping = ruleMetrics();
        try (var skip = harness(HOT, skipping)) {
            skip.open();
            assertThat(skipping.get(AlertMetrics.LATENCY)).isNotNull();
            assertThat(skipping.get(AlertMetrics.FIRING_LATE)).isNull();
            assertThat(skipping.get(AlertMetrics.LATE_LATENCY)).isNull();
        }
    }

    /** An operator's metric group that keeps the rule's metrics (its group {@code rule.<id>} is itself). */
    private static InterceptingOperatorMetricGroup ruleMetrics() {
        return new InterceptingOperatorMetricGroup() {
            @Override
            public MetricGroup addGroup(String key, String value) {
                return this;
            }
        };
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(EpisodeRule rule,
            InterceptingOperatorMetricGroup metrics) throws Exception {
        MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }
        }).build();
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertLifecycle(rule,
                Duration.ofHours(1))), a -> a.sensorId, Types.STRING, env);
    }
}
