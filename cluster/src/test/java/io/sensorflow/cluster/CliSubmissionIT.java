package io.sensorflow.cluster;

import static io.sensorflow.cluster.ClusterEnvironment.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.testkit.LocalFlinkCluster.CliResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar submitted with Flink's own command line client, as the root README says:
 * {@code flink run -d -c io.sensorflow.job.SensorJob JAR ARGS} ({@code CliFrontend} in a JVM of its
 * own, {@code FLINK_CONF_DIR} pointing at the cluster's configuration); then {@code flink list}
 * and {@code flink cancel}.
 */
class CliSubmissionIT {

    @RegisterExtension
    static final ClusterEnvironment env = new ClusterEnvironment();

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

    @Test
    void flinkRunDetachedSubmitsTheJarWhichWritesTheExpectedRowsAndFlinkCancelStopsIt() throws Exception {
        String name = "cli";
        SimulatorSettings scenario = env.sendScenario(name, 1, 5, Duration.ofMinutes(3), 5);
        ExpectedOutcome expected = Simulator.expectedOutcome(scenario);
        DataSource db = env.database(name);

        List<String> run = new ArrayList<>(List.of("run", "-d", "-p", "1", "-c", ClusterEnvironment.ENTRY_CLASS,
                ClusterEnvironment.jobJar().toString()));
        // The archive too: the shaded jar writes Parquet on a cluster that has no Hadoop.
        Path archive = env.directory("archive-");
        run.addAll(env.jobArgs(name, name, env.directory("checkpoints-"), "--archive-dir", archive.toUri().toString(),
                "--archive-compact-every", "1s"));
        CliResult submitted = env.cluster().runCli(CLI_TIMEOUT, run.toArray(new String[0]));
        assertThat(submitted.exitCode()).as(submitted.output()).isZero();
        Matcher id = SUBMITTED.matcher(submitted.output());
        assertThat(id.find()).as(submitted.output()).isTrue();
        String jobId = id.group(1);
        FlinkRest rest = env.rest();
        try {
            assertThat(rest.awaitRunning(jobId, Duration.ofSeconds(60)).get("name").asText()).isEqualTo("sensorflow-cli");
            await("every window row", Duration.ofSeconds(90),
                    () -> JobOutputTables.aggregates(db).size() >= expected.aggregates().size());
            OutcomeComparison.assertAggregatesMatch(expected.aggregates(), JobOutputTables.aggregates(db),
                    OutcomeComparison.DEFAULT_AVG_TOLERANCE);
            long accepted = expected.totals().accepted();
            await("every accepted reading in the archive", Duration.ofSeconds(60), () -> archived(archive) == accepted);

            CliResult list = env.cluster().runCli(CLI_TIMEOUT, "list", "-r");
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains(jobId + " : sensorflow-cli (RUNNING)");
            rest.assertNeverRestarted(jobId);

            CliResult cancel = env.cluster().runCli(CLI_TIMEOUT, "cancel", jobId);
            assertThat(cancel.exitCode()).as(cancel.output()).isZero();
            rest.awaitStatus(jobId, "CANCELED", Duration.ofSeconds(60));
        } finally {
            rest.cancelQuietly(jobId);
        }
    }

    /** The readings in the archive's merged files, read as sql/archive.md says; 0 before the first merge. */
    private static long archived(Path archive) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + archive + "/**/[!.]*.parquet')")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if (String.valueOf(e.getMessage()).contains("No files found")) {
                return 0;
            }
            throw e;
        }
    }
}
