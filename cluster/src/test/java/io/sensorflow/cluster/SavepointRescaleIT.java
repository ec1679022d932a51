package io.sensorflow.cluster;

import static io.sensorflow.cluster.ClusterEnvironment.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.oracle.ExpectedAlert;
import io.sensorflow.simulator.oracle.ExpectedOutcome;
import io.sensorflow.simulator.oracle.JobOutputTables;
import io.sensorflow.simulator.oracle.OutcomeComparison;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.simulator.output.MessageSinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /** The longest time a rule looks back (temperature-rapid-rise: 5 minutes), plus the held readings. */
    private static final long RULE_REACH_MS = Duration.ofMinutes(5).plusSeconds(10).toMillis();

    @Test
    void stoppedAtParallelism2AndResumedAt1TheJobGivesExactlyTheOutputOfAnUninterruptedRun() throws Exception {
        Upgrade u = upgrade("down", 2, 1, scenario("down-readings", 11));
        assertThat(u.alertDifferences()).isEmpty();
    }

    /**
     * Scaling up splits the alert candidate selection's operator state (per sensor, in the source
     * subtask) over the new subtasks without regard to which Kafka partition each new subtask
     * reads: a sensor's state may land in a subtask that never sees its readings again. A run of
     * readings or a rise that straddles the savepoint is then judged on part of its readings. So
     * only this is guaranteed, and asserted: the aggregates, late readings and dead letters
     * exactly, no alert twice, silences exactly, and every other difference an alert of a
     * sequence or rise rule within a rule's reach of the savepoint. The scenario has many runs in
     * flight at the savepoint; the differences are printed.
     */
    @Test
    void stoppedAtParallelism1AndResumedAt2OnlyAlertsStraddlingTheSavepointMayDiffer() throws Exception {
        SimulatorSettings scenario = scenario("up-readings", 13).toBuilder()
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=85,readings=6,probability=0.01"))
                .build();
        Upgrade u = upgrade("up", 1, 2, scenario);
        List<ExpectedAlert> expected = u.expected().alerts();
        List<ExpectedAlert> missing = new ArrayList<>(expected);
        u.alerts().forEach(missing::remove);
        List<ExpectedAlert> unexpected = new ArrayList<>(u.alerts());
        expected.forEach(unexpected::remove);
        System.out.printf("scale-up 1 -> 2: %d alerts expected, %d on the topic; %d missing, %d unexpected%n",
                expected.size(), u.alerts().size(), missing.size(), unexpected.size());
        List<ExpectedAlert> differing = new ArrayList<>(missing);
        differing.addAll(unexpected);
        assertThat(differing).as("only sequence and rise alerts near the savepoint differ")
                .allSatisfy(a -> {
                    assertThat(a.ruleId()).isNotEqualTo("sensor-silence");
                    assertThat(a.spanEndMs()).isBetween(u.savepointEventTime() - RULE_REACH_MS,
                            u.savepointEventTime() + RULE_REACH_MS);
                });
    }

    /** What an upgrade gave: the oracle's outcome, the alerts on the topic, where the savepoint fell. */
    private record Upgrade(ExpectedOutcome expected, List<ExpectedAlert> alerts, List<String> alertDifferences,
            long savepointEventTime) {}

    private static SimulatorSettings scenario(String topic, long seed) {
        return ClusterScenarios.troubled(env.kafka().bootstrapServers(), topic, 2, 30, Duration.ofMinutes(8), seed);
    }

    /**
     * Sends the first half of the scenario, runs the job at {@code before} until it has read and
     * checkpointed all of it, stops it with a savepoint, sends the second half, runs the job from
     * the savepoint at {@code after} until the expected output is there; then asserts everything
     * guaranteed across a rescale, and returns the alerts for the caller to judge.
     */
    private static Upgrade upgrade(String name, int before, int after, SimulatorSettings scenario) throws Exception {
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
            // Alerts may differ after a scale-up: wait for the rows, then for the alerts to settle.
            await("every window row", Duration.ofSeconds(120),
                    () -> JobOutputTables.aggregates(db).size() >= expected.aggregates().size());
            // The whole fleet's last silences come last: once they are there, everything is.
            await("every alert, or at least every silence", Duration.ofSeconds(60), () -> {
                List<ExpectedAlert> alerts = env.alertsOnTopic(name + "-alerts");
                return alerts.size() >= expected.alerts().size() || silencesComplete(expected, alerts);
            });
            Thread.sleep(3_000); // a few checkpoints more: nothing else may come
        } finally {
            rest.cancelQuietly(second);
        }

        // Guaranteed across any rescale: the aggregates, late readings and dead letters exactly...
        OutcomeComparison.assertAggregatesMatch(expected.aggregates(), JobOutputTables.aggregates(db),
                OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(), JobOutputTables.lateReadings(db))).isEmpty();
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(), JobOutputTables.deadLetters(db)))
                .isEmpty();
        // ... and on the alerts topic (read_committed) no alert twice, and the silences exactly.
        List<ExpectedAlert> alerts = env.alertsOnTopic(name + "-alerts");
        assertThat(alerts.stream().collect(Collectors.groupingBy(a -> a.alertId() + " " + a.status(), Collectors.counting())))
                .as("no alert twice").allSatisfy((alert, n) -> assertThat(n).as(alert).isOne());
        assertThat(silencesComplete(expected, alerts)).as("the silence alerts exactly").isTrue();
        List<String> differences = OutcomeComparison.alertDifferences(expected.alerts(), alerts);
        System.out.printf("%s: %d alerts expected, %d on the topic, %d differences%s%n", name,
                expected.alerts().size(), alerts.size(), differences.size(),
                differences.stream().map(d -> "\n  " + d).collect(Collectors.joining()));
        return new Upgrade(expected, alerts, differences, latestEventTime(scenario, half));
    }

    private static boolean silencesComplete(ExpectedOutcome expected, List<ExpectedAlert> actual) {
        return OutcomeComparison.alertDifferences(silences(expected.alerts()), silences(actual)).isEmpty();
    }

    private static List<ExpectedAlert> silences(List<ExpectedAlert> alerts) {
        return alerts.stream().filter(a -> a.ruleId().equals("sensor-silence")).collect(Collectors.toList());
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

    /** The latest event time of the scenario's first {@code count} messages: where the savepoint fell. */
    private static long latestEventTime(SimulatorSettings scenario, long count) {
        return Simulator.messages(scenario).stream().limit(count).filter(m -> m.facts().isValid())
                .mapToLong(m -> m.facts().eventTime()).max().orElseThrow();
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
