package io.sensorflow.cluster;

import static io.sensorflow.cluster.ClusterEnvironment.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar submitted to a real standalone Flink cluster the way a user does it without
 * the CLI: {@code POST /jars/upload}, {@code POST /jars/{id}/run}; then its output, its job graph,
 * its metrics (REST and Prometheus), and {@code PATCH /jobs/{id}?mode=cancel}.
 */
class RestSubmissionIT {

    @RegisterExtension
    static final ClusterEnvironment env = new ClusterEnvironment();

    /** Flink's names for operators nobody named. */
    static final Set<String> DEFAULT_NAMES = Set.of("Map", "Filter", "Flat Map", "Process", "KeyedProcess",
            "Co-Process", "Co-Flat Map", "Co-Map", "Timestamps/Watermarks", "Unnamed", "CepOperator", "Window",
            "Custom Source", "Custom Sink", "Sink: Unnamed");

    @Test
    void theJarRunsOnTheClusterWithExactOutputReadableVertexNamesLiveMetricsAndCancels() throws Exception {
        String name = "rest";
        SimulatorSettings scenario = env.sendScenario(name, 2, 20, Duration.ofMinutes(5), 3);
        DataSource db = env.database(name);
        // The fleet stops at the end and the job's event time moves on with the clock: every
        // sensor's last silence fires too.
        ExpectedOutcome expected = Simulator.expectedOutcome(scenario, RuleFileLoader.load(env.rulesFile()),
                Long.MAX_VALUE / 2);
        Map<String, Long> firingByRule = expected.alerts().stream().filter(a -> a.status().equals(ExpectedAlert.FIRING))
                .collect(Collectors.groupingBy(ExpectedAlert::ruleId, Collectors.counting()));
        assertThat(firingByRule).containsKeys("sensor-silence", "temperature-extreme-run", "obstacle-close-run");

        FlinkRest rest = env.rest();
        String jobId = rest.runJar(env.uploadedJar(), ClusterEnvironment.ENTRY_CLASS,
                env.jobArgs(name, name, env.directory("checkpoints-")), 2, null);
        try {
            JsonNode job = rest.awaitRunning(jobId, Duration.ofSeconds(60));
            assertReadableVertexNames(job);

            await("every window row and every alert", Duration.ofSeconds(120), () ->
                    JobOutputTables.aggregates(db).size() >= expected.aggregates().size()
                            && env.alertsOnTopic(name + "-alerts").size() >= expected.alerts().size());
            Thread.sleep(2_000); // a checkpoint more: nothing else may come
            OutcomeComparison.assertAggregatesMatch(expected.aggregates(), JobOutputTables.aggregates(db),
                    OutcomeComparison.DEFAULT_AVG_TOLERANCE);
            assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(), JobOutputTables.lateReadings(db)))
                    .isEmpty();
            assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(), JobOutputTables.deadLetters(db)))
                    .isEmpty();
            assertThat(OutcomeComparison.alertDifferences(expected.alerts(), env.alertsOnTopic(name + "-alerts")))
                    .isEmpty();

            assertMetrics(rest, jobId, expected, firingByRule);
            assertPrometheusHasTheJobsMetrics();
            rest.assertNeverRestarted(jobId);

            rest.cancel(jobId);
            rest.awaitStatus(jobId, "CANCELED", Duration.ofSeconds(60));
        } finally {
            rest.cancelQuietly(jobId);
        }
    }

    /**
     * Every operator in every vertex has a name of ours, none of Flink's defaults. A vertex is
     * named after its chain, e.g. {@code Source: A -> B -> (C -> D, E)}: a default name would stand
     * between those separators.
     */
    private static void assertReadableVertexNames(JsonNode job) {
        List<String> vertices = new ArrayList<>();
        for (JsonNode vertex : job.get("vertices")) {
            vertices.add(vertex.get("name").asText());
            System.out.println("vertex: " + vertex.get("name").asText() + " (parallelism " + vertex.get("parallelism") + ")");
        }
        for (String unnamed : DEFAULT_NAMES) {
            Pattern operator = Pattern.compile("(^|-> |\\(|, )((Source|Sink): )?" + Pattern.quote(unnamed)
                    + "(: (Writer|Committer))?($| ->|\\)|,)");
            assertThat(vertices).as("no operator named " + unnamed).noneMatch(v -> operator.matcher(v).find());
        }
        String all = String.join("\n", vertices);
        for (String ours : List.of("Source: Kafka readings", "Split off rejected readings",
                "Batch readings by sensor window", "Select alert candidates", "Aggregate sensor windows",
                "PostgreSQL sensor_aggregates: Writer", "PostgreSQL late_readings", "PostgreSQL dead_letters",
                "Kafka dead-letter topic", "CEP silence: sensor-silence", "CEP sequence: temperature-extreme-run",
                "CEP sequence: obstacle-close-run", "CEP rise: temperature-rapid-rise", "Kafka alerts topic: Writer",
                "PostgreSQL sensor_alerts (FIRING)", "PostgreSQL sensor_alerts (RESOLVED)")) {
            assertThat(all).contains(ours);
        }
    }

    /** The job's own metrics through {@code GET /jobs/{id}/vertices/{vid}/subtasks/metrics?get=...&agg=sum}. */
    private static void assertMetrics(FlinkRest rest, String jobId, ExpectedOutcome expected,
            Map<String, Long> firingByRule) throws Exception {
        long accepted = expected.totals().accepted() + expected.totals().duplicates();
        await("readingsAccepted to reach " + accepted, Duration.ofSeconds(30),
                () -> rest.metricTotal(jobId, ".readingsAccepted") >= accepted);
        for (String counter : List.of(".readingsAccepted", ".readingsLate", ".readingsDuplicate", ".windowRowsWritten",
                ".count", ".alertsFiring", ".alertsResolved")) {
            rest.metricsEndingWith(jobId, counter, "sum").forEach((k, v) -> System.out.println("metric " + k + " = " + v));
        }
        rest.metricsEndingWith(jobId, ".alertLatencyMs_p50", "max").forEach((k, v) -> System.out.println("metric " + k + " = " + v));
        rest.metricsEndingWith(jobId, ".eventTimeLagMs", "max").forEach((k, v) -> System.out.println("metric " + k + " = " + v));
        assertThat(rest.metricTotal(jobId, ".readingsAccepted")).isEqualTo((double) accepted);
        assertThat(rest.metricTotal(jobId, ".readingsLate")).isEqualTo((double) expected.totals().late());
        assertThat(rest.metricTotal(jobId, ".readingsDuplicate")).isEqualTo((double) expected.totals().duplicates());
        assertThat(rest.metricsEndingWith(jobId, ".count", "sum").entrySet().stream()
                .filter(e -> e.getKey().contains("readingsRejected")).mapToDouble(Map.Entry::getValue).sum())
                .isEqualTo((double) expected.totals().deadLetters());
        assertThat(rest.metricTotal(jobId, ".windowRowsWritten")).isGreaterThanOrEqualTo(expected.aggregates().size());
        for (Map.Entry<String, Long> rule : firingByRule.entrySet()) {
            assertThat(rest.metricTotal(jobId, ".rule." + rule.getKey() + ".alertsFiring"))
                    .as("alertsFiring of " + rule.getKey()).isEqualTo((double) rule.getValue());
            // Readings two hours old: each alert was detected about two hours after it was due.
            String latency = ".rule." + rule.getKey() + ".alertLatencyMs";
            assertThat(rest.metricsEndingWith(jobId, latency + "_min", "min").values()).as(latency).singleElement()
                    .satisfies(ms -> assertThat(ms).isGreaterThan((double) Duration.ofMinutes(100).toMillis()));
            assertThat(rest.metricsEndingWith(jobId, latency + "_max", "max").values()).as(latency).singleElement()
                    .satisfies(ms -> assertThat(ms).isLessThan((double) Duration.ofMinutes(125).toMillis()));
        }
    }

    /**
     * One scrape of the TaskManager's Prometheus endpoint: the job's metrics are there, the rule as
     * a label (Prometheus label values keep only [a-zA-Z0-9:_], so hyphens become underscores).
     */
    private static void assertPrometheusHasTheJobsMetrics() throws Exception {
        String scrape = env.rest().text(env.cluster().taskManagerPrometheusUrl());
        List<String> ours = scrape.lines().filter(l -> l.startsWith("flink_taskmanager_job_task_operator_readingsAccepted{")
                || l.startsWith("flink_taskmanager_job_task_operator_rule_")).collect(Collectors.toList());
        scrape.lines().filter(l -> l.contains("subtask_index=\"0\"") && (l.contains("readingsAccepted")
                || l.contains("NOT_JSON") || l.contains("temperature_extreme_run")))
                .forEach(l -> System.out.println("prometheus: " + l));
        assertThat(ours).anyMatch(l -> l.startsWith("flink_taskmanager_job_task_operator_readingsAccepted{")
                && !l.endsWith(" 0.0"));
        assertThat(ours).anyMatch(l -> l.startsWith("flink_taskmanager_job_task_operator_rule_alertsFiring{")
                && l.contains("rule=\"temperature_extreme_run\""));
        assertThat(ours).anyMatch(l -> l.startsWith("flink_taskmanager_job_task_operator_rule_alertLatencyMs{")
                && l.contains("rule=\"temperature_extreme_run\"") && l.contains("quantile=\"0.5\""));
    }
}
