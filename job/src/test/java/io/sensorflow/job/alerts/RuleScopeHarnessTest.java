package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rules with a scope: a freezer's threshold for the freezers, a greenhouse's for the greenhouses,
 * a silence for a listed few. A rule ignores the sensors outside its scope, decided once per
 * sensor, and stays so across a restore.
 */
class RuleScopeHarnessTest {

    static final long S = 1_000L;
    static final SequenceRule FREEZER_WARM = new SequenceRule("freezer-warm", Severity.CRITICAL, "", Metric.TEMPERATURE, true,
            -10, 3, Duration.ofMinutes(1), 3, Duration.ZERO, SensorScope.matching("freezer-[0-9]+"));
    static final SequenceRule GREENHOUSE_HOT = new SequenceRule("greenhouse-hot", Severity.WARNING, "", Metric.TEMPERATURE,
            true, 35, 3, Duration.ofMinutes(1), 3, Duration.ZERO, SensorScope.ids(List.of("greenhouse-1", "greenhouse-2")));
    static final SilenceRule LISTED_QUIET = new SilenceRule("listed-quiet", Severity.INFO, "", Duration.ofSeconds(30),
            SensorScope.ids(List.of("freezer-1")));
    static final SilenceRule ALL_QUIET = new SilenceRule("all-quiet", Severity.INFO, "", Duration.ofMinutes(1));
    static final StuckRule GREENHOUSE_STUCK = new StuckRule("greenhouse-stuck", Severity.INFO, "", Metric.TEMPERATURE, 3, null,
            Duration.ZERO, SensorScope.matching("greenhouse-.*"));

    static final List<Rule> RULES = List.of(LISTED_QUIET, FREEZER_WARM, GREENHOUSE_HOT, ALL_QUIET, GREENHOUSE_STUCK);

    private AlertRulesHarness h;

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static List<String> alerts(List<Alert> alerts) {
        return alerts.stream().map(a -> a.ruleId + " " + a.sensorId + " " + a.status).sorted().toList();
    }

    @Test
    void eachRuleAlertsOnlyOnTheSensorsInItsScope() throws Exception {
        h = new AlertRulesHarness(RULES);
        for (String sensor : List.of("freezer-1", "freezer-22", "freezer-x", "greenhouse-1", "greenhouse-3")) {
            for (int i = 0; i < 3; i++) {
                h.reading(sensor, i * 10 * S, 40 + i); // warm for a freezer, hot for a greenhouse, never stuck
            }
        }
        h.watermark(25 * S);
        assertThat(alerts(h.takeAlerts())).containsExactly("freezer-warm freezer-1 FIRING", "freezer-warm freezer-22 FIRING",
                "greenhouse-hot greenhouse-1 FIRING");
        h.reading("greenhouse-3", 30 * S, 20);
        h.reading("greenhouse-3", 40 * S, 20);
        h.reading("greenhouse-3", 50 * S, 20);
        h.reading("freezer-1", 30 * S, 20);
        h.reading("freezer-1", 40 * S, 20);
        h.reading("freezer-1", 50 * S, 20); // a freezer stuck: not in the stuck rule's scope
        h.watermark(55 * S);
        assertThat(alerts(h.takeAlerts())).containsExactly("greenhouse-stuck greenhouse-3 FIRING");
    }

    @Test
    void aScopedSilenceFiresOnlyForItsSensorsBesideAnUnscopedOne() throws Exception {
        h = new AlertRulesHarness(RULES);
        h.reading("freezer-1", 0, -20);
        h.reading("freezer-2", 0, -20);
        for (long t = 10 * S; t <= 200 * S; t += 10 * S) {
            h.reading("greenhouse-1", t, 20 + (t / S) % 7); // keeps event time going, never stuck or hot
            h.watermark(t - 5 * S);
        }
        assertThat(alerts(h.takeAlerts())).containsExactly("all-quiet freezer-1 FIRING", "all-quiet freezer-2 FIRING",
                "listed-quiet freezer-1 FIRING");
        h.reading("freezer-1", 200 * S, -20);
        h.reading("freezer-2", 200 * S, -20);
        h.watermark(205 * S);
        assertThat(alerts(h.takeAlerts())).containsExactly("all-quiet freezer-1 RESOLVED", "all-quiet freezer-2 RESOLVED",
                "listed-quiet freezer-1 RESOLVED");
    }

    @Test
    void theScopesAreDecidedOncePerSensorAndKeptInItsSlotWhileItsStateComesAndGoes() throws Exception {
        h = new AlertRulesHarness(List.of(FREEZER_WARM));
        h.reading("freezer-1", 0, -20);
        Object decided = h.slot("freezer-1").alertScopes;
        assertThat(decided).isNotNull();
        h.watermark(5 * S);
        h.snapshot(1); // nothing to keep for freezer-1: its state goes, its slot stays
        assertThat(h.selector.getOperator()).extracting("sensors").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).isEmpty();
        h.reading("freezer-1", 10 * S, -20);
        assertThat(h.slot("freezer-1").alertScopes).as("not decided again").isSameAs(decided);
        h.reading("other", 10 * S, 30);
        h.reading("other", 20 * S, 30);
        h.reading("other", 30 * S, 30);
        h.watermark(40 * S);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.candidatesSeen).as("nothing of a sensor outside every scope reaches CEP").isZero();
    }

    @Test
    void theScopesHoldAcrossARestoreAndARunInProgressCompletes() throws Exception {
        h = new AlertRulesHarness(RULES);
        h.reading("freezer-1", 0, -5);
        h.reading("freezer-1", 10 * S, -5);
        h.reading("freezer-x", 0, -5);
        h.reading("freezer-x", 10 * S, -5);
        h.watermark(15 * S);
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(RULES, snapshot);
        h.reading("freezer-1", 20 * S, -4);
        h.reading("freezer-x", 20 * S, -4);
        h.watermark(25 * S);
        assertThat(alerts(h.takeAlerts())).containsExactly("freezer-warm freezer-1 FIRING");
    }
}
