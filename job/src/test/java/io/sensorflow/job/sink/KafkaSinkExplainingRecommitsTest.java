package io.sensorflow.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSinkExplainingRecommitsTest {

    private static final KafkaRecordSerializationSchema<String> RECORDS =
            (s, context, timestamp) -> new ProducerRecord<>("alerts", s.getBytes());

    @Test
    void exactlyOnceTopicsAreTheKafkaSinkExplainingRecommitsAndAtLeastOnceThePlainOne() {
        Sink<String> exactlyOnce = create(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(exactlyOnce).isInstanceOf(KafkaSinkExplainingRecommits.class);
        KafkaSinkExplainingRecommits<String> sink = (KafkaSinkExplainingRecommits<String>) exactlyOnce;

        Sink<String> atLeastOnce = create(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(atLeastOnce).isInstanceOf(KafkaSink.class);
        // The KafkaSink's state and committables, so checkpoints and savepoints stay as they were.
        KafkaSink<String> plain = (KafkaSink<String>) atLeastOnce;
        assertThat(sink.getWriterStateSerializer()).hasSameClassAs(plain.getWriterStateSerializer());
        assertThat(sink.getCommittableSerializer()).hasSameClassAs(plain.getCommittableSerializer());
    }

    @Test
    void aRestoredCommitterSaysWhyACommitMayBeFencedAndHowToTellALoss() {
        KafkaSinkExplainingRecommits<String> sink = (KafkaSinkExplainingRecommits<String>) create(DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(sink.recommitNotice(context(OptionalLong.of(17), 1))).hasValueSatisfying(notice -> assertThat(notice)
                .contains("Restored from checkpoint 17", "sensorflow-alerts-<subtask>-<checkpoint>",
                        "here sensorflow-alerts-1-17", "already fenced", "nothing is lost", "--kafka-transaction-timeout, 900000 ms",
                        "--transactional-id", "CompleteCommit", "CompleteAbort"));
        assertThat(sink.recommitNotice(context(OptionalLong.empty(), 1))).as("a fresh start commits nothing again").isEmpty();
    }

    private static Sink<String> create(DeliveryGuarantee guarantee) {
        return TopicSink.create("127.0.0.1:9", new Properties(), RECORDS, guarantee, "sensorflow-alerts", 900_000);
    }

    private static CommitterInitContext context(OptionalLong restored, int subtask) {
        return new CommitterInitContext() {
            @Override
            public OptionalLong getRestoredCheckpointId() {
                return restored;
            }

            @Override
            public JobInfo getJobInfo() {
                return new JobInfoImpl(new JobID(), "sensorflow");
            }

            @Override
            public TaskInfo getTaskInfo() {
                return new TaskInfoImpl("Kafka alerts topic: Committer", 128, subtask, 2, 1);
            }

            @Override
            public SinkCommitterMetricGroup metricGroup() {
                throw new UnsupportedOperationException("not used");
            }
        };
    }
}
