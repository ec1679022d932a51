package io.sensorflow.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

class LocalPostgresLifecycleTest {

    @Test
    void fixedPortServerLeavesNoProcessPortOrFilesAfterClose() throws Exception {
        int port = Ports.freePort();
        LocalPostgres postgres = LocalPostgres.start(port);
        ProcessHandle postmaster = postgres.postmaster().orElseThrow();
        Path directory = postgres.directory();
        try (Connection c = postgres.dataSource().getConnection()) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/sensorflow");

        postgres.close();

        assertThat(LocalPostgres.isRunning(postmaster)).as("postmaster running").isFalse();
        assertThat(Ports.isFree(port)).as("port free").isTrue();
        assertThat(directory).doesNotExist();
        assertThatThrownBy(postgres::startServer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void serverDoesNotOutliveAKilledJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PostgresChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String[] ready = readyLine(child, Duration.ofSeconds(30)).split(" ");
            int port = Integer.parseInt(ready[1]);
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(ready[2])).orElseThrow();
            Path directory = Path.of(ready[3]);
            assertThat(LocalPostgres.isRunning(postmaster)).isTrue();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            awaitTrue(() -> !LocalPostgres.isRunning(postmaster), "postmaster stopped");
            awaitTrue(() -> Ports.isFree(port), "port free");
            awaitTrue(() -> !Files.exists(directory), "directory removed");
        } finally {
            child.destroyForcibly();
        }
    }

    private static String readyLine(Process child, Duration timeout) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(PostgresChild.READY + " ")) {
                        return line;
                    }
                }
                throw new IllegalStateException("child JVM exited before PostgreSQL was ready");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
