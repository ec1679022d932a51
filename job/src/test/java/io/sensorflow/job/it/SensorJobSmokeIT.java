package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handful of hand-written readings through the real job, Kafka and PostgreSQL. */
class SensorJobSmokeIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(Scenarios.noRestarts())
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    @Test
    void writesTheLastWindowWhenTheWholeInputGoesQuiet() throws Exception {
        // One partition for two source subtasks: the one without a partition must not hold
        // event time back either.
        String topic = "quiet-readings";
        pipeline.kafka.createTopic(topic, 1);
        // Readings in one one-minute window that ended four minutes ago, then nothing at all.
        long window = (System.currentTimeMillis() - 300_000) / 60_000 * 60_000;
        List<byte[]> payloads = new ArrayList<>();
        for (int s = 0; s <= 55; s += 5) {
            payloads.add(("{\"sensor_id\":\"quiet\",\"ts\":" + (window + s * 1000L) + ",\"temperature\":" + (20 + s / 5)
                    + "}").getBytes(StandardCharsets.UTF_8));
        }
        pipeline.produce(topic, payloads, p -> "quiet");

        JobConfig config = pipeline.config("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--window-size", "1m", "--idle-timeout", "2s", "--starting-offsets", "earliest", "--parallelism", "2",
                "--transactional-id-prefix", "quiet-" + System.nanoTime());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("quiet");
        try {
            // The readings alone hold the watermark at 50 s into the window (55 s - 5 s of
            // out-of-orderness): only event time advancing with the wall clock can close it.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<String> rows;
            while ((rows = pipeline.rows("SELECT reading_count, temperature_max FROM sensor_aggregates"
                    + " WHERE sensor_id = 'quiet'")).isEmpty()) {
                assertThat(System.nanoTime()).as("the window is written within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(rows).containsExactly("12|31");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aggregatesTheSeedPayloadsRejectsBadOnesAndKeepsLateOnes() throws Exception {
        String topic = "smoke-readings";
        pipeline.kafka.createTopic(topic, 1);
        List<String> messages = new ArrayList<>(List.of(
                // the inspiration projects' payloads, unchanged: 2026-11-21T08:00:00Z = 1795248000
                "{\"device_id\": \"device_1\", \"temperature\": 20.0, \"humidity\": 40.0, \"timestamp\": 1795248000}",
                "{\"sensor_id\":1,\"temperature\":30.0,\"humidity\":60.0,\"timestamp\":\"2026-11-21 08:01:00\"}",
                "{\"sensor_id\":\"device_1\",\"ts\":\"2026-11-21T08:02:00.000Z\",\"temperature\":22.0,\"motion\":true,\"seq\":3}",
                "{\"sensor_id\":\"device_1\",\"ts\":\"2026-11-21T08:02:00.000Z\",\"temperature\":22.0,\"motion\":true,\"seq\":3}",
                "not json at all",
                "{\"device_id\":\"device_1\",\"temperature\":500,\"timestamp\":1795248030}",
                // 08:30 moves the watermark past 08:15 + 5 min of lateness ...
                "{\"device_id\":\"device_1\",\"temperature\":21.0,\"timestamp\":1795249800}",
                // ... so this 08:05 reading is too late for its window
                "{\"device_id\":\"device_1\",\"temperature\":99.0,\"timestamp\":1795248300}"));
        List<byte[]> payloads = new ArrayList<>();
        messages.forEach(m -> payloads.add(m.getBytes(StandardCharsets.UTF_8)));
        pipeline.produce(topic, payloads, p -> null);

        JobConfig config = pipeline.config("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--parallelism", "2", "--transactional-id-prefix", "smoke");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        env.execute("smoke");

        assertThat(pipeline.rows("SELECT sensor_id, window_start, reading_count, duplicate_count, temperature_count,"
                        + " temperature_min, temperature_max, temperature_avg, humidity_count, motion_readings,"
                        + " motion_count, first_event_time, last_event_time FROM sensor_aggregates ORDER BY 1, 2"))
                .containsExactly(
                        "1|2026-11-21 08:00:00+00|1|0|1|30|30|30|1|0|0|2026-11-21 08:01:00+00|2026-11-21 08:01:00+00",
                        "device_1|2026-11-21 08:00:00+00|2|1|2|20|22|21|1|1|1|2026-11-21 08:00:00+00|2026-11-21 08:02:00+00",
                        "device_1|2026-11-21 08:30:00+00|1|0|1|21|21|21|0|0|0|2026-11-21 08:30:00+00|2026-11-21 08:30:00+00");
        assertThat(pipeline.rows("SELECT sensor_id, avg_temperature FROM sensor_temperatures ORDER BY 1, window_start"))
                .containsExactly("1|30.00", "device_1|21.00", "device_1|21.00");
        assertThat(pipeline.rows("SELECT source_offset, reason_code FROM dead_letters ORDER BY 1"))
                .containsExactly("4|NOT_JSON", "5|OUT_OF_RANGE");
        assertThat(pipeline.rows("SELECT source_offset, sensor_id, event_time, watermark FROM late_readings"))
                .containsExactly("7|device_1|2026-11-21 08:05:00+00|2026-11-21 08:29:54.999+00");

        List<ConsumerRecord<byte[], byte[]>> dlq =
                TopicReader.readAll(pipeline.kafka.bootstrapServers(), topic + "-dlq", true, Duration.ofSeconds(30));
        assertThat(dlq).hasSize(2);
        // The topic has several partitions, so the two records come in no fixed order.
        ObjectMapper json = new ObjectMapper();
        JsonNode notJson = null;
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            JsonNode d = json.readTree(r.value());
            if (d.get("reason_code").asText().equals("NOT_JSON")) {
                notJson = d;
            }
        }
        assertThat(notJson).as("the NOT_JSON dead letter").isNotNull();
        assertThat(notJson.get("payload").asText()).isEqualTo("not json at all");
        assertThat(notJson.get("source").get("offset").asLong()).isEqualTo(4);
    }
}
