package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.deadletter.DeadLetter;
import io.sensorflow.job.sink.RecordLimits;
import io.sensorflow.oracle.ExpectedDeadLetter;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.JobOutputTopics;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.GeneratedMessage;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.payload.HostilePayloads.Shape;
import io.sensorflow.testkit.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Among normal readings, a producer sends what no sensor would: payloads at the broker's size
 * limits (the readings topic takes 8 MB records), nested deeper than a reading, with ids, names and
 * numbers past the parser's bounds, binary, raw NULs, times no database stores, repeated fields;
 * bursts of thousands of readings of a sensor with one timestamp; exact repeats and malformed
 * readings of every kind. The job must never restart, every rejected payload must be in the
 * dead-letter topic (read_committed) and table with the right reason, each record bounded, and
 * every aggregate, late reading and alert must equal the expected outcome.
 */
class SensorJobHostileProducerIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            // A job that restarts fails the test below: it must not need to.
            .setConfiguration(Scenarios.restarting(3, Duration.ofMillis(200)))
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    /** Shapes and sizes: each twice, the large ones past the dead-letter topic's 1 MiB records. */
    private static final String[] HOSTILE = {
        "shape=padding,size=4000000", // valid at the broker's raised limit: unknown fields are skipped unread
        "shape=long-sensor-id,size=2000000", // NOT_JSON: a string the parser reads, past its 1 MiB
        "shape=deep-nesting,size=600000", // the reading that once stopped the pipeline for good
        "shape=long-sensor-id,size=1000000",
        "shape=long-field-name,size=60000",
        "shape=long-field-name,size=40000", // valid: an unknown field with a long name
        "shape=huge-number,size=1",
        "shape=long-number,size=20000",
        "shape=many-fields,size=300000", // valid
        "shape=binary,size=4000000", // its dead letter is cut to 64 KiB
        "shape=raw-nul,size=1",
        "shape=far-future,size=1",
        "shape=far-future-bad-value,size=1",
        "shape=repeated-field,size=1",
    };

    @Test
    void hostilePayloadsBurstsAndRepeatsNeverRestartTheJobAndEveryOutputIsExact(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String topic = "hostile-readings";
        pipeline.kafka.createTopic(topic, 2, Map.of("max.message.bytes", Integer.toString(8 << 20)));
        SimulatorSettings.Builder b = SimulatorSettings.builder()
                .sensors(30)
                .duration(Duration.ofMinutes(8))
                .seed(5)
                .format(PayloadFormat.DEVICE_EPOCH) // the inspiration project's: device_id, epoch seconds
                .start(Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(pipeline.kafka.bootstrapServers())
                .topic(topic)
                .partitions(2)
                .producerProperty("max.request.size", Integer.toString(16 << 20))
                .oracle(OracleParameters.of(Scenarios.WINDOW, Scenarios.OUT_OF_ORDERNESS, Scenarios.GRANULARITY,
                        Scenarios.LATENESS))
                .fault(FaultSpecParser.parseOption(FaultKind.BURST, "readings=3000,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=40"))
                .fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "count=30"))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.01"))
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=5"));
        for (String hostile : HOSTILE) {
            b.fault(FaultSpecParser.parseOption(FaultKind.HOSTILE, hostile + ",count=2"));
        }
        SimulatorSettings scenario = b.build();
        Map<String, byte[]> sentBySha = new HashMap<>();
        for (GeneratedMessage m : Simulator.messages(scenario)) {
            if (!m.facts().isValid()) {
                sentBySha.put(ExpectedDeadLetter.sha256(m.payload()), m.payload());
            }
        }
        Simulator.send(scenario, false, null);
        ExpectedOutcome expected = Simulator.expectedOutcome(scenario, RuleFileLoader.loadDefault());
        assertThat(expected.deadLettersByReason()).containsKeys(ExpectedRejectReason.NOT_JSON, ExpectedRejectReason.INVALID_SENSOR_ID,
                ExpectedRejectReason.INVALID_VALUE, ExpectedRejectReason.FUTURE_TIMESTAMP);
        assertThat(expected.deadLetters()).filteredOn(d -> d.payloadSize() > 1_000_000).hasSize(6);
        assertThat(expected.alerts()).isNotEmpty();

        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic,
                "--dead-letter-topic", topic + "-dlq", "--alerts-topic", topic + "-alerts",
                "--bounded", "--starting-offsets", "earliest", "--parallelism", "2",
                "--transactional-id-prefix", "hostile-" + System.nanoTime()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("hostile");
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        AccessExecutionGraph graph = cluster.getArchivedExecutionGraph(job.getJobID()).get();
        assertThat(graph.getState()).isEqualTo(JobStatus.FINISHED);
        assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).as("the job never restarted").isZero();
        assertThat(graph.getFailureInfo()).as("no failure").isNull();

        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(),
                JobOutputTables.lateReadings(pipeline.postgres.dataSource()))).isEmpty();
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(),
                JobOutputTables.deadLetters(pipeline.postgres.dataSource()))).isEmpty();
        OutcomeComparison.assertAggregatesMatch(expected.aggregates(),
                JobOutputTables.aggregates(pipeline.postgres.dataSource()), OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertDeadLetterTopic(expected, topic + "-dlq", sentBySha);
        assertThat(OutcomeComparison.alertDifferences(expected.alerts(),
                SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts"))).isEmpty();
        SensorJobAlertsIT.assertTableMatches(pipeline, expected.alerts());
        assertTableKeepsAtMostThePrefix(sentBySha);
    }

    /**
     * The dead-letter topic as a read_committed consumer sees it: each dead letter once, every record
     * within the topic's 1 MiB, a payload whole while its base64 fits and else its first 64 KiB.
     */
    private static void assertDeadLetterTopic(ExpectedOutcome expected, String topic, Map<String, byte[]> sentBySha)
            throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAll(pipeline.kafka.bootstrapServers(), topic, true, Duration.ofSeconds(30));
        List<ExpectedDeadLetter> fromTopic = new ArrayList<>();
        int wholeUpTo = RecordLimits.kafkaDefaults().deadLetterWholePayloadBytes();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(r.serializedValueSize() + Math.max(0, r.serializedKeySize()))
                    .isLessThanOrEqualTo(RecordLimits.KAFKA_DEFAULT_BYTES - RecordLimits.RECORD_OVERHEAD_BYTES);
            ExpectedDeadLetter d = JobOutputTopics.deadLetter(r.value());
            fromTopic.add(d);
            byte[] sent = sentBySha.get(d.payloadSha256());
            assertThat(sent).as("a payload that was sent: %s", d.payloadSha256()).isNotNull();
            byte[] kept = Base64.getDecoder().decode(
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value()).get("payload_base64").asText());
            byte[] want = sent.length <= wholeUpTo ? sent : Arrays.copyOf(sent, DeadLetter.PAYLOAD_PREFIX_BYTES);
            assertThat(kept).as("kept of a %d-byte payload", sent.length).isEqualTo(want);
        }
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(), fromTopic)).isEmpty();
    }

    private static void assertTableKeepsAtMostThePrefix(Map<String, byte[]> sentBySha) throws Exception {
        List<String> rows = pipeline.rows("SELECT payload_sha256, length(payload), payload_size, payload_truncated,"
                + " encode(sha256(payload), 'hex') FROM dead_letters");
        for (String row : rows) {
            String[] c = row.split("\\|");
            byte[] sent = sentBySha.get(c[0]);
            assertThat(sent).isNotNull();
            int kept = Math.min(sent.length, DeadLetter.PAYLOAD_PREFIX_BYTES);
            assertThat(Integer.parseInt(c[1])).isEqualTo(kept);
            assertThat(Integer.parseInt(c[2])).isEqualTo(sent.length);
            assertThat(c[3]).isEqualTo(sent.length > DeadLetter.PAYLOAD_PREFIX_BYTES ? "t" : "f");
            assertThat(c[4]).isEqualTo(ExpectedDeadLetter.sha256(Arrays.copyOf(sent, kept)));
        }
    }
}
