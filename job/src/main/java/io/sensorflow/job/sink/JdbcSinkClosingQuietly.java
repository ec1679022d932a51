package io.sensorflow.job.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JdbcSink} whose writer does not throw from {@code close()}.
 *
 * <p>When the database is unreachable, the JDBC writer's {@code close()} retries the pending batch
 * and throws again. Flink closes operators while it handles the task's failure, and an exception
 * there is "an exception in the exception handler": fatal, so the whole TaskManager shuts down
 * instead of the job restarting (seen in {@code SensorJobFaultsIT}). Nothing is lost by only
 * logging it: every successful checkpoint has flushed the writer, and what came after the last
 * one is replayed from Kafka. A failure to flush at a checkpoint or at the end of the input still
 * fails the task, through {@code flush}.
 */
final class JdbcSinkClosingQuietly<IN>
        implements Sink<IN>, SupportsWriterState<IN, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkClosingQuietly.class);

    private final JdbcSink<IN> sink;

    JdbcSinkClosingQuietly(JdbcSink<IN> sink) {
        this.sink = sink;
    }

    @Override
    public QuietWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new QuietWriter<>(sink.createWriter(context));
    }

    @Override
    public StatefulSinkWriter<IN, JdbcWriterState> restoreWriter(
            WriterInitContext context, Collection<JdbcWriterState> recoveredState) throws IOException {
        return new QuietWriter<>(sink.restoreWriter(context, recoveredState));
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    static final class QuietWriter<IN>
            implements StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {

        private final org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter<IN> writer;

        QuietWriter(org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter<IN> writer) {
            this.writer = writer;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return writer.prepareCommit();
        }

        @Override
        public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return writer.snapshotState(checkpointId);
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (Exception e) {
                LOG.warn("JDBC writer failed to close; what it held is replayed from the last checkpoint", e);
            }
        }
    }
}
