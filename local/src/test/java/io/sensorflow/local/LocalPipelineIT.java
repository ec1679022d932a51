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
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What run-local does, in this JVM: everything starts, rows arrive, the web UI answers, and stop leaves nothing. */
class LocalPipelineIT {

    @Test
    void startsEverythingWritesRowsServesTheWebUiAndStopsClean() throws Exception {
        int kafkaPort = Ports.freePort();
        int postgresPort = Ports.freePort();
        int webUiPort = Ports.freePort();
        java.nio.file.Path archive = java.nio.file.Files.createTempDirectory("local-archive-");
        LocalPipeline local = new LocalPipeline();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                "--kafka-port", "" + kafkaPort, "--postgres-port", "" + postgresPort, "--web-ui-port", "" + webUiPort,
                "--sensors", "5", "--history", "3m", "--window-size", "1m",
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
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        while (!printed.toString().contains("sensor-")) {
            assertThat(System.nanoTime()).as("archived readings within 90 s").isLessThan(deadline + Duration.ofSeconds(60).toNanos());
            Thread.sleep(500);
            printed.reset();
            try {
                QueryArchive.query(archive, "SELECT sensor_id, count(*), avg(temperature) FROM readings GROUP BY 1 ORDER BY 1",
                        new java.io.PrintStream(printed, true));
            } catch (java.sql.SQLException e) {
                assertThat(e.getMessage()).contains("No files found"); // not merged yet
            }
        }
        assertThat(printed.toString()).contains("(5 rows)");

        local.stop();

        assertThat(exit.get()).isZero();
        for (int port : new int[] {kafkaPort, postgresPort, webUiPort}) {
            assertThat(Ports.isFree(port)).as("port %d is free again", port).isTrue();
        }
    }

    @Test
    void usesAnExistingKafkaAndPostgresInsteadOfStartingItsOwn() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            int unusedKafkaPort = Ports.freePort();
            int unusedPostgresPort = Ports.freePort();
            LocalPipeline local = new LocalPipeline();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                    "--kafka-port", "" + unusedKafkaPort, "--postgres-port", "" + unusedPostgresPort,
                    "--web-ui-port", "" + Ports.freePort(), "--sensors", "3", "--history", "3m", "--window-size", "1m",
                    "--kafka-bootstrap-servers", kafka.bootstrapServers(), "--jdbc-url", postgres.jdbcUrl(),
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
