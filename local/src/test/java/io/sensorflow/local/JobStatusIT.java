package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * A job that is restarting says so (issue 12): with PostgreSQL stopped under it, the job fails and restarts, and
 * run-local's status line shows RESTARTING, the restart count and the root cause, from Flink's REST API; once PostgreSQL
 * is back, RUNNING again.
 */
class JobStatusIT {

    private static final Pattern RESTARTS = Pattern.compile("job (\\w+), (\\d+) restarts?(, last cause: (.*?))?;");

    @Test
    void theStatusLineShowsARestartingJobItsRestartsAndTheCause() throws Exception {
        long interval = LocalPipeline.STATUS_INTERVAL_MS;
        LocalPipeline.STATUS_INTERVAL_MS = 1000;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalPipeline local = new LocalPipeline();
        local.out = new PrintStream(new MqttChainIT.TeeStream(printed, System.out), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                "--kafka-port", "" + Ports.freePort(), "--postgres-port", "" + Ports.freePort(),
                "--web-ui-port", "" + Ports.freePort(), "--no-mqtt", "--sensors", "3", "--history", "3m",
                "--window-size", "1m", "--jdbc-max-retries", "0"));
        try {
            MqttChainIT.awaitPrinted(printed, Pattern.compile("job RUNNING, 0 restarts; "), exit);

            LocalPostgres postgres = local.postgres();
            postgres.stopServer();
            String restarting = awaitLine(printed, m -> m.group(1).equals("RESTARTING") && Long.parseLong(m.group(2)) >= 1
                    && m.group(4) != null, exit, Duration.ofSeconds(120));
            // The root cause is how the job's connection learnt that PostgreSQL went away: the server ended it, or a
            // new one was refused, depending on when the sink noticed.
            assertThat(restarting).as("the cause is PostgreSQL going away").containsAnyOf(
                    "last cause: org.postgresql.util.PSQLException: FATAL: terminating connection due to administrator command",
                    "last cause: java.net.ConnectException: Connection refused")
                    .contains("PostgreSQL: Connection to localhost:" + postgres.port() + " refused");

            postgres.startServer();
            String running = awaitLine(printed, m -> m.group(1).equals("RUNNING") && Long.parseLong(m.group(2)) >= 1,
                    exit, Duration.ofSeconds(180));
            assertThat(running).contains("last cause: ");
            // The same line, asked for directly.
            assertThat(local.statusLine(HttpClient.newHttpClient(), postgres.jdbcUrl(), postgres.user(), postgres.password()))
                    .containsPattern("job (RUNNING|RESTARTING), \\d+ restarts?, last cause: ");
        } finally {
            local.stop();
            LocalPipeline.STATUS_INTERVAL_MS = interval;
        }
        assertThat(exit.get()).isZero();
    }

    /** The first status line printed from now on that matches {@link #RESTARTS} and {@code condition}. */
    private static String awaitLine(ByteArrayOutputStream printed, java.util.function.Predicate<Matcher> condition,
            CompletableFuture<Integer> exit, Duration timeout) throws InterruptedException {
        int from = printed.size();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = printed.toString(StandardCharsets.UTF_8);
            for (String line : text.substring(Math.min(from, text.length())).split("\n")) {
                Matcher m = RESTARTS.matcher(line);
                if (m.find() && condition.test(m)) {
                    return line;
                }
            }
            assertThat(exit).as("run-local is still running").isNotDone();
            assertThat(System.nanoTime()).as("a status line within %s; printed:%n%s", timeout,
                    text.substring(Math.min(from, text.length()))).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
