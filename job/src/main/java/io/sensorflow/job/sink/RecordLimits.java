package io.sensorflow.job.sink;

import io.sensorflow.job.config.ConfigException;
import io.sensorflow.job.config.JobConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The largest record each output topic takes: the smaller of the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes} (which is the broker's
 * {@code message.max.bytes} unless the topic sets its own). Read from Kafka when the job starts, so
 * the job bounds what it writes by what the sink will take, instead of hoping: a record a sink
 * refuses for its size would fail the job, and the restart would read the same input again.
 */
public record RecordLimits(int deadLetterTopicBytes, int alertsTopicBytes) implements Serializable {

    /** Kafka's default for both {@code max.request.size} and {@code message.max.bytes}. */
    public static final int KAFKA_DEFAULT_BYTES = 1_048_576;

    /** Room for a record's framing: the record batch's and the record's headers and the key (a sensor id, at most 512 bytes). */
    public static final int RECORD_OVERHEAD_BYTES = 1024;

    /**
     * Room kept in a dead-letter record for what is not its payload: the framing, and the dead
     * letter's other fields (a reason of at most
     * {@value io.sensorflow.job.deadletter.DeadLetter#MAX_REASON_CHARS} characters, six bytes each
     * at worst as JSON, the topic name, the sensor id) and JSON's punctuation.
     */
    public static final int DEAD_LETTER_OVERHEAD_BYTES = 16 * 1024;

    /**
     * The smallest alerts record limit the job starts with: the largest alert a rule file allows
     * (a sequence of 1,000 readings, the longest ids) is under it ({@code AlertRecordBoundTest}).
     */
    public static final int MIN_ALERTS_TOPIC_BYTES = 256 * 1024;

    /**
     * The smallest dead-letter record limit the job starts with: a too-large payload is kept as its
     * first {@value io.sensorflow.job.deadletter.DeadLetter#PAYLOAD_PREFIX_BYTES} bytes, which must fit as base64.
     */
    public static final int MIN_DEAD_LETTER_TOPIC_BYTES =
            base64Length(io.sensorflow.job.deadletter.DeadLetter.PAYLOAD_PREFIX_BYTES) + DEAD_LETTER_OVERHEAD_BYTES;

    public static RecordLimits kafkaDefaults() {
        return new RecordLimits(KAFKA_DEFAULT_BYTES, KAFKA_DEFAULT_BYTES);
    }

    /**
     * The payloads up to this size are kept whole in a dead letter: their base64 and the rest of the
     * record fit in the topic's limit.
     */
    public int deadLetterWholePayloadBytes() {
        return Math.max(io.sensorflow.job.deadletter.DeadLetter.PAYLOAD_PREFIX_BYTES,
                (deadLetterTopicBytes - DEAD_LETTER_OVERHEAD_BYTES) / 4 * 3);
    }

    static int base64Length(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** Reads the limits of the job's dead-letter and alerts topics; a missing topic or a too small limit stops the start. */
    public static RecordLimits read(JobConfig config) {
        Properties client = config.kafkaClientProperties();
        int maxRequestSize = producerMaxRequestSize(client);
        Properties admin = new Properties();
        admin.putAll(client);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, config.deadLetterTopic);
        ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, config.alertsTopic);
        List<ConfigResource> topics = config.rules().rules().isEmpty() ? List.of(deadLetters) : List.of(deadLetters, alerts);
        try (AdminClient kafka = AdminClient.create(admin)) {
            Map<ConfigResource, Config> described = kafka.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
            int deadLetterBytes = Math.min(maxRequestSize, maxMessageBytes(described.get(deadLetters)));
            int alertBytes = described.containsKey(alerts)
                    ? Math.min(maxRequestSize, maxMessageBytes(described.get(alerts))) : KAFKA_DEFAULT_BYTES;
            if (deadLetterBytes < MIN_DEAD_LETTER_TOPIC_BYTES) {
                throw new ConfigException("--dead-letter-topic " + config.deadLetterTopic + " takes records of at most "
                        + deadLetterBytes + " bytes (the smaller of the producer's max.request.size, " + maxRequestSize
                        + ", and the topic's max.message.bytes): a dead letter needs " + MIN_DEAD_LETTER_TOPIC_BYTES
                        + ". Raise the topic's max.message.bytes (and max.request.size with --kafka-property).");
            }
            if (alertBytes < MIN_ALERTS_TOPIC_BYTES) {
                throw new ConfigException("--alerts-topic " + config.alertsTopic + " takes records of at most "
                        + alertBytes + " bytes (the smaller of the producer's max.request.size, " + maxRequestSize
                        + ", and the topic's max.message.bytes): the largest alert needs up to " + MIN_ALERTS_TOPIC_BYTES
                        + ". Raise the topic's max.message.bytes (and max.request.size with --kafka-property).");
            }
            return new RecordLimits(deadLetterBytes, alertBytes);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ConfigException("a topic the job writes does not exist (" + e.getCause().getMessage()
                        + "): create --dead-letter-topic " + config.deadLetterTopic + " and --alerts-topic "
                        + config.alertsTopic + ", or start with --create-topics");
            }
            throw new IllegalStateException("cannot read the topics' limits from Kafka at "
                    + config.kafkaBootstrapServers + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.kafkaBootstrapServers
                    + " to read the topics' limits within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the topics' limits", e);
        }
    }

    private static int producerMaxRequestSize(Properties client) {
        String given = client.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (given == null) {
            return KAFKA_DEFAULT_BYTES;
        }
        try {
            return Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("--kafka-property " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + "=" + given
                    + ": not a number of bytes");
        }
    }

    private static int maxMessageBytes(Config topic) {
        ConfigEntry e = topic.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return e == null || e.value() == null ? KAFKA_DEFAULT_BYTES : Integer.parseInt(e.value());
    }
}
