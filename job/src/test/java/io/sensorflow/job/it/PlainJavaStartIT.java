package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job started the way people start a Flink job from an IDE: {@code java -cp ...
 * io.sensorflow.job.SensorJob} with only the addresses of Kafka and PostgreSQL, no
 * {@code --checkpoint-dir}. Flink alone would keep its checkpoints in the JobManager's memory, at
 * most 5 MB of state, and a larger state's checkpoints would be declined, the job restarting
 * forever. 60,000 sensors give it well over 5 MB: its checkpoints must complete, in the directory
 * it says in its log.
 */
class PlainJavaStartIT {

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    private static final long FIVE_MB = 5L << 20;

    @Test
    void withoutACheckpointDirectoryTheJobCheckpointsMoreThanFiveMegabytesUnderTheTempDirectory() throws Exception {
        String topic = "plain-readings";
        pipeline.kafka.createTopic(topic, 2);
        Simulator.send(SimulatorSettings.builder()
                .sensors(60_000)
                .count(600_000)
                .interval(Duration.ofMinutes(1))
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(pipeline.kafka.bootstrapServers())
                .topic(topic)
                .build(), false, null);

        Path tmp = Files.createTempDirectory("plain-java-tmp-");
        Path log = tmp.resolve("job.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.io.tmpdir=" + tmp));
        command.addAll(FLINK_OPENS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sensorflow.job.SensorJob",
                "--kafka-bootstrap-servers", pipeline.kafka.bootstrapServers(),
                "--jdbc-url", pipeline.postgres.jdbcUrl(), "--jdbc-user", pipeline.postgres.user(),
                "--jdbc-password", pipeline.postgres.password(),
                "--readings-topic", topic, "--dead-letter-topic", topic + "-dlq", "--alerts-topic", topic + "-alerts",
                "--starting-offsets", "earliest", "--job-name", "plain", "--checkpoint-interval", "2s"));
        Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path dir = tmp.resolve("sensorflow-checkpoints").resolve("plain");
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            long largest = 0;
            while (largest <= FIVE_MB) {
                assertThat(job.isAlive()).as("the job runs; its log:\n%s", tail(log)).isTrue();
                assertThat(System.nanoTime()).as("a checkpoint over 5 MB within 180 s; its log:\n%s", tail(log))
                        .isLessThan(deadline);
                Thread.sleep(1_000);
                largest = largestCompletedCheckpoint(dir).orElse(0L);
            }
            assertThat(Files.readString(log)).contains("No --checkpoint-dir and no execution.checkpointing.dir:"
                    + " checkpoints go to " + dir.toUri().toString().replaceFirst("/$", ""));
            assertThat(Files.readString(log)).doesNotContain("Checkpoint was declined").doesNotContain("RESTARTING");
        } finally {
            job.destroyForcibly().waitFor();
        }
    }

    /** The size of the largest checkpoint directory with a _metadata file (complete) under {@code dir}. */
    private static Optional<Long> largestCompletedCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(p -> size(p.getParent()))
                    .max(Long::compare);
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0; // a checkpoint being cleaned up
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The JDK packages Flink reflects into, as its own scripts (and ./run-local) open them. */
    private static final List<String> FLINK_OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");
}
