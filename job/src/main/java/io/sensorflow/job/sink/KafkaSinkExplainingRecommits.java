package io.sensorflow.job.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exactly-once {@link KafkaSink} that, when its committer is restored from a checkpoint, says
 * what the committer is about to log: everything else is the KafkaSink's own.
 *
 * <p>After a restore, Flink commits the restored checkpoint's transactions again, since it cannot
 * know whether they were committed before the failure. Usually they were. The committer resumes
 * each with a new producer that never called {@code initTransactions()}, so it ends the transaction
 * with Kafka's transaction protocol version 1; a broker with {@code transaction.version} 2 (what a
 * Kafka 4.2 cluster is formatted with by default) bumped the epoch when it committed the
 * transaction, sees an old epoch and answers PRODUCER_FENCED. {@code KafkaCommitter} then logs ERROR
 * "... already fenced ... most likely signals data loss", although the transaction is committed and
 * nothing is lost (seen at every recovery of the benchmark's SIGKILL runs;
 * {@code RecommitOfACommittedTransactionIT} shows it on a real broker). The line logged here says so,
 * and how an operator tells it from a transaction Kafka aborted, whose records are lost.
 */
final class KafkaSinkExplainingRecommits<IN>
        implements Sink<IN>, SupportsWriterState<IN, KafkaWriterState>, SupportsCommitter<KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable>, LineageVertexProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkExplainingRecommits.class);

    private final KafkaSink<IN> sink;
    private final String transactionalIdPrefix;
    private final long transactionTimeoutMs;

    KafkaSinkExplainingRecommits(KafkaSink<IN> sink, String transactionalIdPrefix, long transactionTimeoutMs) {
        this.sink = sink;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) throws IOException {
        recommitNotice(context).ifPresent(LOG::info);
        return sink.createCommitter(context);
    }

    /** What the committer of {@code context} logs before it starts: at a restore, why a commit may be fenced. */
    Optional<String> recommitNotice(CommitterInitContext context) {
        OptionalLong restored = context.getRestoredCheckpointId();
        if (restored.isEmpty()) {
            return Optional.empty();
        }
        long checkpointId = restored.getAsLong();
        String id = transactionalIdPrefix + "-" + context.getTaskInfo().getIndexOfThisSubtask() + "-" + checkpointId;
        return Optional.of("Restored from checkpoint " + checkpointId + ": committing again the Kafka transactions it holds, if"
                + " any (transactional ids " + transactionalIdPrefix + "-<subtask>-<checkpoint>, here " + id + "). One that was"
                + " committed before the failure is refused with PRODUCER_FENCED by a broker with transaction.version"
                + " 2, and KafkaCommitter logs ERROR 'Unable to commit transaction ... already fenced ... most likely"
                + " signals data loss' for it: that is expected after a restore, and nothing is lost. A transaction's"
                + " records are lost only if Kafka aborted it (open longer than --kafka-transaction-timeout, " + transactionTimeoutMs
                + " ms): kafka-transactions.sh --bootstrap-server <brokers> describe --transactional-id <the id in that"
                + " ERROR> shows TransactionState CompleteCommit (committed, nothing lost) or CompleteAbort (lost).");
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public StatefulSinkWriter<IN, KafkaWriterState> createWriter(WriterInitContext context) throws IOException {
        return sink.createWriter(context);
    }

    @Override
    public StatefulSinkWriter<IN, KafkaWriterState> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState) throws IOException {
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        // Keeps each writer and its committer in one slot, as the KafkaSink asks.
        sink.addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return sink.getLineageVertex();
    }
}
