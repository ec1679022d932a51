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
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.simulator.output.MessageSinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upgrade as an operator does it: the job is stopped with a savepoint
 * ({@code POST /jobs/{id}/stop}) in the middle of its input and started again from the savepoint
 * ({@code "savepointPath"} in {@code POST /jars/{id}/run}) at another parallelism. Both runs'
 * output together is compared with the simulator's oracle, i.e. with one uninterrupted run.
 *
 * <p>"The middle": the first half of the scenario's messages is in Kafka when the first run starts,
 * the second half only after it stopped, so windows, runs of readings and silences are open at the
 * savepoint. The first run's idle timeout is long, so that its event time does not move on with
 * the clock while it waits at the end of the first half; the second run's is short, so that after
 * the last reading every sensor's last silence fires and the last windows close.
 */
class SavepointRescaleIT {

    @RegisterExtension
    static final ClusterEnvironment env = new ClusterEnvironment();

    @Test
    void stoppedAtParallelism2AndResumedAt1TheJobGivesExactlyTheOutputOfAnUninterruptedRun() throws Exception {
        upgrade("down", 2, 1, scenario("down-readings", 11));
    }

    /**
     * Scaling up: the Kafka partitions, and with them the sensors, land on other subtasks than the
     * ones whose state holds their open runs and rises. The scenario has many runs in flight at
     * the savepoint (spikes of six readings over 85 °C).
     */
    @Test
    void stoppedAtParallelism1AndResumedAt2TheJobGivesExactlyTheOutputOfAnUninterruptedRun() throws Exception {
        SimulatorSettings scenario = scenario("up-readings", 13).toBuilder()
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=85,readings=6,probability=0.01"))
                .build();
        upgrade("up", 1, 2, scenario);
    }

    private static SimulatorSettings scenario(String topic, long seed) {
        return ClusterScenarios.troubled(env.kafka().bootstrapServers(), topic, 2, 30, Duration.ofMinutes(8), seed);
    }

    /**
     * Sends the first half of the scenario, runs the job at {@code before} until it has read and
     * checkpointed all of it, stops it with a savepoint, sends the second half, runs the job from
     * the savepoint at {@code after} until the expected output is there; then asserts that the
     * whole output is the oracle's.
     */
    private static void upgrade(String name, int before, int after, SimulatorSettings scenario) throws Exception {
        String topic = scenario.topic();
        env.createDatabase(name);
        DataSource db = env.database(name);
        env.kafka().createTopic(topic, 2);
        ExpectedOutcome expected = Simulator.expectedOutcome(scenario, RuleFileLoader.load(env.rulesFile()),
                Long.MAX_VALUE / 2);
        long messages = expected.totals().messages();
        long half = messages / 2;
        send(scenario, 0, half);

        Path checkpoints = env.directory("checkpoints-");
        FlinkRest rest = env.rest();
        String first = rest.runJar(env.uploadedJar(), ClusterEnvironment.ENTRY_CLASS,
                env.jobArgs(name, name, checkpoints, "--idle-timeout", "10m"), before, null);
        String savepoint;
        try {
            assertThat(parallelisms(rest.awaitRunning(first, Duration.ofSeconds(60)))).containsOnly(before);
            // Everything sent is read, and in a completed checkpoint (the offsets are committed with it).
            await("the first half read and checkpointed", Duration.ofSeconds(90), () -> committedToEnd(name, topic));
            rest.assertNeverRestarted(first); // a stop with a savepoint is the only interruption here
            savepoint = rest.stopWithSavepoint(first, env.directory("savepoints-").toUri().toString(),
                    Duration.ofSeconds(120));
            rest.awaitStatus(first, "FINISHED", Duration.ofSeconds(60));
        } finally {
            rest.cancelQuietly(first);
        }
        int rowsAtSavepoint = JobOutputTables.aggregates(db).size();
        int alertsAtSavepoint = env.alertsOnTopic(name + "-alerts").size();
        System.out.printf("%s: savepoint at parallelism %d after %d of %d messages: %d of %d window rows, %d of %d"
                + " alerts; resuming at parallelism %d%n", name, before, half, messages, rowsAtSavepoint,
                expected.aggregates().size(), alertsAtSavepoint, expected.alerts().size(), after);
        assertThat(rowsAtSavepoint).as("window rows at the savepoint").isBetween(1, expected.aggregates().size() - 1);
        assertThat(alertsAtSavepoint).as("alerts at the savepoint").isBetween(1, expected.alerts().size() - 1);

        send(scenario, half, messages);
        String second = rest.runJar(env.uploadedJar(), ClusterEnvironment.ENTRY_CLASS,
                env.jobArgs(name, name, checkpoints), after, savepoint);
        try {
            assertThat(parallelisms(rest.awaitRunning(second, Duration.ofSeconds(60)))).containsOnly(after);
            await("every window row", Duration.ofSeconds(120),
                    () -> JobOutputTables.aggregates(db).size() >= expected.aggregates().size());
            // The whole fleet's last silences come last: once they are there, everything is.
            await("every alert", Duration.ofSeconds(60),
                    () -> env.alertsOnTopic(name + "-alerts").size() >= expected.alerts().size());
            Thread.sleep(3_000); // a few checkpoints more: nothing else may come
            rest.assertNeverRestarted(second);
        } finally {
            rest.cancelQuietly(second);
        }

        OutcomeComparison.assertAggregatesMatch(expected.aggregates(), JobOutputTables.aggregates(db),
                OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(), JobOutputTables.lateReadings(db))).isEmpty();
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(), JobOutputTables.deadLetters(db)))
                .isEmpty();
        // The alerts topic, read_committed: every alert once, none missing, none more.
        List<ExpectedAlert> alerts = env.alertsOnTopic(name + "-alerts");
        List<String> differences = OutcomeComparison.alertDifferences(expected.alerts(), alerts);
        System.out.printf("%s: %d alerts expected, %d on the topic, %d differences%s%n", name,
                expected.alerts().size(), alerts.size(), differences.size(),
                differences.stream().map(d -> "\n  " + d).collect(Collectors.joining()));
        assertThat(differences).as("%d -> %d: alerts", before, after).isEmpty();
        assertThat(alerts).hasSameSizeAs(expected.alerts());
    }

    /** Sends messages {@code from} (inclusive) to {@code to} (exclusive) of the scenario, in emission order. */
    private static void send(SimulatorSettings scenario, long from, long to) {
        try (MessageSink kafka = MessageSinks.open(scenario)) {
            Simulator.send(scenario, new MessageSink() {
                private long index;

                @Override
                public void send(int sensor, byte[] key, byte[] payload, int length) {
                    if (index >= from && index < to) {
                        kafka.send(sensor, key, payload, length);
                    }
                    index++;
                }

                @Override
                public void flush() {
                    kafka.flush();
                }

                @Override
                public void close() {}
            }, false, null);
        }
    }

    /** Whether the consumer group's committed offsets are at the end of every partition of the topic. */
    private static boolean committedToEnd(String group, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> ends = admin.listOffsets(committed.keySet().stream()
                    .filter(tp -> tp.topic().equals(topic))
                    .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            return ends.size() == 2 && ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()).offset() == e.getValue());
        }
    }

    private static List<Integer> parallelisms(JsonNode job) {
        return StreamSupport.stream(job.get("vertices").spliterator(), false)
                .map(v -> v.get("parallelism").asInt()).collect(Collectors.toList());
    }
}
