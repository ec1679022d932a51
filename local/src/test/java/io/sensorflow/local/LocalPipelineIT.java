package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import io.sensorflow.job.config.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What run-local does, in this JVM: everything starts, rows arrive, the web UI answers, the virtual nodes publish over
 * MQTT, every port listens on the loopback address only, and stop leaves nothing; a wrong setting stops it before
 * anything starts.
 */
class LocalPipelineIT {

    @Test
    void startsEverythingWritesRowsServesTheWebUiAndStopsClean() throws Exception {
        int kafkaPort = Ports.freePort();
        int postgresPort = Ports.freePort();
        int webUiPort = Ports.freePort();
        int mqttPort = Ports.freePort();
        Path archive = Files.createTempDirectory("local-archive-");
        LocalPipeline local = new LocalPipeline();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                "--kafka-port", "" + kafkaPort, "--postgres-port", "" + postgresPort, "--web-ui-port", "" + webUiPort,
                "--mqtt-port", "" + mqttPort, "--sensors", "5", "--history", "3m", "--window-size", "1m",
                "--archive-dir", archive.toString(), "--archive-compact-every", "1s"));

        String jdbc = "jdbc:postgresql://localhost:" + postgresPort + "/sensorflow";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long rows = 0;
        while (rows == 0) {
            assertThat(System.nanoTime()).as("rows within 90 s").isLessThan(deadline);
            assertThat(exit).as("run-local is still running").isNotDone();
            Thread.sleep(500);
            rows = count(jdbc, "SELECT count(*) FROM sensor_temperatures");
        }
        HttpResponse<String> overview = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + webUiPort + "/jobs/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overview.body()).contains("\"name\":\"sensorflow\"").contains("\"state\":\"RUNNING\"");
        HttpResponse<String> ui = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + webUiPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("<html");

        // The archive: the banner's query returns rows once the first files are merged.
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        while (!printed.toString().contains("sensor-")) {
            assertThat(System.nanoTime()).as("archived readings within 90 s").isLessThan(deadline + Duration.ofSeconds(60).toNanos());
            Thread.sleep(500);
            printed.reset();
            try {
                QueryArchive.query(archive, "SELECT sensor_id, count(*), avg(temperature) FROM readings GROUP BY 1 ORDER BY 1",
                        new PrintStream(printed, true));
            } catch (SQLException e) {
                assertThat(e.getMessage()).contains("No files found"); // not merged yet
            }
        }
        assertThat(printed.toString()).contains("(5 rows)");

        // The live readings go over MQTT: five nodes, each a reading a second, through the bridge into Kafka.
        long liveDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (local.bridge().stats().forwarded() < 20) {
            assertThat(System.nanoTime()).as("MQTT readings in Kafka within 60 s").isLessThan(liveDeadline);
            Thread.sleep(200);
        }
        assertThat(local.bridge().stats().failed()).isZero();

        // Every port run-local opened, in this JVM and PostgreSQL's, listens on the loopback address only.
        if (ListeningSockets.available()) {
            List<ListeningSockets.Socket> mine = ListeningSockets.ofThisJvm();
            assertThat(mine).extracting(ListeningSockets.Socket::port).contains(kafkaPort, mqttPort, webUiPort);
            assertThat(mine).as("every socket this JVM listens on").allMatch(ListeningSockets.Socket::loopback);
            assertThat(ListeningSockets.onPort(postgresPort)).as("PostgreSQL's sockets").isNotEmpty()
                    .allMatch(ListeningSockets.Socket::loopback);
        }
        Path runDir = local.runDir();
        assertThat(runDir).isDirectory();

        // Nothing was killed here: the job never restarted, and the status line says so.
        String status = "";
        long statusDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!status.contains(" restart")) { // the first answers may come before Flink has the metric
            assertThat(System.nanoTime()).as("the restart count in the status line, have %s", status).isLessThan(statusDeadline);
            Thread.sleep(500);
            status = local.statusLine(java.net.http.HttpClient.newHttpClient(), jdbc, "postgres", "postgres");
        }
        assertThat(status).contains("job RUNNING, 0 restarts; ").doesNotContain("last cause");

        local.stop();

        assertThat(exit.get()).isZero();
        for (int port : new int[] {kafkaPort, postgresPort, webUiPort, mqttPort}) {
            assertThat(Ports.isFree(port)).as("port %d is free again", port).isTrue();
        }
        assertThat(Files.exists(runDir)).as("%s (Flink's files, the checkpoints) deleted", runDir).isFalse();
    }

    @Test
    void aWrongSettingStopsItBeforeAnythingStarts() {
        for (String[] wrong : new String[][] {
            {"--window-size", "banana"}, {"--windw-size", "1m"}, {"--watermark-granularity", "7s"},
            {"--sensors", "0"}, {"--web-ui-port", "70000"}}) {
            int kafkaPort = Ports.freePort();
            int postgresPort = Ports.freePort();
            int mqttPort = Ports.freePort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            LocalPipeline local = new LocalPipeline();
            local.err = new PrintStream(err, true, StandardCharsets.UTF_8);
            String[] args = new String[wrong.length + 6];
            System.arraycopy(new String[] {"--kafka-port", "" + kafkaPort, "--postgres-port", "" + postgresPort,
                "--mqtt-port", "" + mqttPort}, 0, args, 0, 6);
            System.arraycopy(wrong, 0, args, 6, wrong.length);
            long started = System.nanoTime();
            int code = new CommandLine(local).execute(args);
            assertThat(code).as("exit code for %s", List.of(wrong)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).as("message for %s", List.of(wrong))
                    .startsWith("run-local: ").contains(wrong[0].startsWith("--windw") ? "--windw-size" : wrong[0]);
            assertThat(local.runDir()).as("nothing started for %s", List.of(wrong)).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void helpListsEverySettingRunLocalsAndTheJobs() {
        StringWriter help = new StringWriter();
        CommandLine cli = LocalPipeline.commandLine(new LocalPipeline());
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("--help")).isZero();
        for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
            assertThat(help.toString()).contains(shown(o));
        }
        for (CommandLine.Model.OptionSpec o : new CommandLine(new JobConfig()).getCommandSpec().options()) {
            assertThat(help.toString()).as("the job's %s", o.longestName()).contains(shown(o));
        }
    }

    /** How --help shows an option: --[no-]bounded for a negatable one. */
    private static String shown(CommandLine.Model.OptionSpec o) {
        return o.negatable() ? "--[no-]" + o.longestName().substring(2) : o.longestName();
    }

    @Test
    void usesAnExistingKafkaAndPostgresInsteadOfStartingItsOwn() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            int unusedKafkaPort = Ports.freePort();
            int unusedPostgresPort = Ports.freePort();
            LocalPipeline local = new LocalPipeline();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                    "--kafka-port", "" + unusedKafkaPort, "--postgres-port", "" + unusedPostgresPort,
                    "--web-ui-port", "" + Ports.freePort(), "--mqtt-port", "" + Ports.freePort(), "--sensors", "3",
                    "--history", "3m", "--window-size", "1m", "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                    "--jdbc-url", postgres.jdbcUrl(),
                    "--jdbc-user", postgres.user(), "--jdbc-password", postgres.password()));

            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (count(postgres.jdbcUrl(), "SELECT count(*) FROM sensor_aggregates") == 0) {
                assertThat(System.nanoTime()).as("rows within 90 s").isLessThan(deadline);
                assertThat(exit).as("run-local is still running").isNotDone();
                Thread.sleep(500);
            }
            assertThat(Ports.isFree(unusedKafkaPort)).as("no Kafka of its own").isTrue();
            assertThat(Ports.isFree(unusedPostgresPort)).as("no PostgreSQL of its own").isTrue();

            local.stop();
            assertThat(exit.get()).isZero();
            assertThat(kafka.isRunning()).as("the given Kafka is left running").isTrue();
            assertThat(postgres.isRunning()).as("the given PostgreSQL is left running").isTrue();
        }
    }

    private static long count(String jdbc, String sql) {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0; // not up yet, or the schema not there yet
        }
    }
}
