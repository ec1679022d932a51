package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code late: evaluate} through the real job: sensors go offline and send what they queued, oldest
 * first, when they are back (the simulator's batched fault, as the firmware does); the rules that
 * evaluate late readings alert on them, marked late with their detection delay, their twins that
 * skip them do not, and the alerts topic and the sensor_alerts table hold exactly what the oracle
 * expects. Nothing is killed: the job must not restart (the cluster would not restart it).
 */
class SensorJobLateAlertsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(Scenarios.noRestarts())
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    /**
     * A DHT11 reads whole degrees, so a temperature repeats three times in a row often, offline or
     * not: the stuck rules alert in every outage. The twins differ only in {@code late}; with a
     * cooldown, a late match can fall in one that the watermark has passed by the time it comes.
     */
    static final String RULES = """
            version: 1
            rules:
              - id: sensor-silence
                kind: silence
                severity: warning
                after: 20s
              - id: late-stuck
                kind: stuck
                severity: info
                metric: temperature
                readings: 3
                late: evaluate
              - id: skip-stuck
                kind: stuck
                severity: info
                metric: temperature
                readings: 3
              - id: late-stuck-cooling
                kind: stuck
                severity: info
                metric: temperature
                readings: 3
                cooldown: 20s
                late: evaluate
              - id: late-extreme-run
                kind: sequence
                severity: critical
                metric: temperature
                above: 70
                count: 3
                within: 1m
                resolve: {readings: 2}
                late: evaluate
              - id: late-rise
                kind: rise
                severity: warning
                metric: temperature
                by: 10
                within: 1m
                late: evaluate
            """;

    /** 20 DHT11 sensors reading each second; five outages of 30 to 60 s; spikes and rises for the other rules. */
    private static SimulatorSettings scenario(String topic) {
        return SimulatorSettings.builder()
                .sensors(20)
                .duration(Duration.ofMinutes(4))
                .seed(11)
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(pipeline.kafka.bootstrapServers())
                .topic(topic)
                .partitions(1)
                .oracle(OracleParameters.of(Scenarios.WINDOW, Scenarios.OUT_OF_ORDERNESS, Scenarios.GRANULARITY,
                        Scenarios.LATENESS))
                .fault(FaultSpecParser.parseOption(FaultKind.BATCHED, "sensor=sensor-00002,at=1m,for=60s"))
                .fault(FaultSpecParser.parseOption(FaultKind.BATCHED, "sensor=sensor-00005,at=2m,for=40s"))
                .fault(FaultSpecParser.parseOption(FaultKind.BATCHED, "for=30s,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=12"))
                .fault(FaultSpecParser.parseOption(FaultKind.RISE, "metric=temperature,step=3,readings=5,count=8"))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.02"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=20"))
                .build();
    }

    @Test
    void anOfflineSensorsQueueIsEvaluatedByTheRulesThatSaySoMarkedLateExactlyAsTheOracleExpects() throws Exception {
        String topic = "late-alerts-readings";
        pipeline.kafka.createTopic(topic, 1);
        Path rules = Files.createTempFile("late-rules-", ".yaml");
        Files.writeString(rules, RULES);
        RuleSet ruleSet = RuleFileLoader.load(rules);
        SimulatorSettings scenario = scenario(topic);
        Simulator.send(scenario, false, null);
        List<ExpectedAlert> expected = Simulator.expectedOutcome(scenario, ruleSet, Long.MAX_VALUE / 2).alerts();
        List<ExpectedAlert> late = expected.stream().filter(a -> a.detectionDelayMs() != null).toList();
        // The scenario does what it is for: late FIRINGs and RESOLVEDs of the stuck rule, from the
        // outages only; its twin that skips late readings has no alert decided by a late reading.
        assertThat(late).extracting(ExpectedAlert::ruleId).contains("late-stuck")
                .allMatch(id -> id.startsWith("late-"));
        assertThat(late).extracting(ExpectedAlert::status).contains(ExpectedAlert.FIRING, ExpectedAlert.RESOLVED);
        assertThat(late).extracting(ExpectedAlert::sensorId).contains("sensor-00002", "sensor-00005");
        assertThat(late).allSatisfy(a -> assertThat(a.detectionDelayMs()).isBetween(0L, Scenarios.WINDOW.toMillis()
                + Scenarios.LATENESS.toMillis()));
        List<String> decidedLate = late.stream().map(a -> a.sensorId() + "@" + a.spanEndMs()).toList();
        assertThat(expected).filteredOn(a -> a.ruleId().equals("skip-stuck"))
                .noneMatch(a -> decidedLate.contains(a.sensorId() + "@" + a.spanEndMs()));

        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic",
                topic + "-dlq", "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--starting-offsets",
                "earliest", "--parallelism", "2", "--idle-timeout", "5s", "--transactional-id-prefix",
                "late-alerts-" + System.nanoTime()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("late-alerts");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<ExpectedAlert> actual = SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts");
            while (actual.size() < expected.size() && System.nanoTime() < deadline) {
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job runs, never restarted")
                        .isFalse();
                Thread.sleep(1_000);
                actual = SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts");
            }
            Thread.sleep(3_000); // a few more checkpoints: nothing more may come
            actual = SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts");
            assertThat(OutcomeComparison.alertDifferences(expected, actual)).isEmpty();
            SensorJobAlertsIT.assertTableMatches(pipeline, expected);
            assertThat(pipeline.rows("SELECT alert_id, late, detection_delay_ms, resolved_late,"
                    + " resolved_detection_delay_ms FROM sensor_alerts"))
                    .containsExactlyInAnyOrderElementsOf(lateColumns(expected));
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("never restarted").isFalse();
        } finally {
            job.cancel().get();
        }
    }

    /** Per episode, the table's lateness columns: the FIRING's, then the RESOLVED's (if any). */
    private static List<String> lateColumns(List<ExpectedAlert> expected) {
        List<String> rows = new ArrayList<>();
        for (ExpectedAlert a : expected) {
            if (!a.status().equals(ExpectedAlert.FIRING)) {
                continue;
            }
            ExpectedAlert resolved = expected.stream().filter(b -> b.alertId().equals(a.alertId())
                    && b.status().equals(ExpectedAlert.RESOLVED)).findFirst().orElse(null);
            Long resolvedDelay = resolved == null ? null : resolved.detectionDelayMs();
            rows.add(a.alertId() + "|" + (a.detectionDelayMs() != null ? "t" : "f") + "|"
                    + (a.detectionDelayMs() == null ? "null" : a.detectionDelayMs()) + "|"
                    + (resolvedDelay != null ? "t" : "f") + "|" + (resolvedDelay == null ? "null" : resolvedDelay));
        }
        return rows;
    }
}
