package io.sensorflow.job.archive;

import io.sensorflow.job.aggregate.ReadingBatch;
import io.sensorflow.job.readings.Reading;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes batches of readings as Parquet rows ({@link ArchiveSchema}) through Flink's
 * {@link ParquetWriterFactory}: each reading of a batch becomes one row, read in place from the
 * batch's array, so the per-reading path allocates nothing. Runs without Hadoop: a plain Parquet
 * configuration and {@link ParquetCodecs}.
 */
public final class ArchiveParquetWriter implements BulkWriter.Factory<ReadingBatch> {

    private static final long serialVersionUID = 1L;

    private final ParquetWriterFactory<Row> rows;

    public ArchiveParquetWriter(ParquetCodecs.Codec codec, long rowGroupBytes) {
        this.rows = new ParquetWriterFactory<>(out -> new Builder(out)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetCodecs())
                .withCompressionCodec(codec.parquetName)
                .withRowGroupSize(rowGroupBytes)
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .build());
    }

    @Override
    public BulkWriter<ReadingBatch> create(FSDataOutputStream out) throws IOException {
        BulkWriter<Row> writer = rows.create(out);
        Row row = new Row();
        return new BulkWriter<>() {
            @Override
            public void addElement(ReadingBatch batch) throws IOException {
                row.of(batch);
                for (int i = 0; i < batch.size; i++) {
                    row.index = i;
                    writer.addElement(row);
                }
            }

            @Override
            public void flush() throws IOException {
                writer.flush();
            }

            @Override
            public void finish() throws IOException {
                writer.finish();
            }
        };
    }

    /** A cursor over one reading of a batch. */
    static final class Row {
        ReadingBatch batch;
        int index;
        private String sensorId;
        Binary sensor;

        void of(ReadingBatch b) {
            batch = b;
            if (sensor == null || !b.sensorId.equals(sensorId)) {
                sensorId = b.sensorId;
                sensor = Binary.fromString(sensorId);
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport();
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport();
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private RecordConsumer out;

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(ArchiveSchema.SCHEMA, Map.of("writer", "sensorflow"));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(ArchiveSchema.SCHEMA, Map.of("writer", "sensorflow"));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Row row) {
            ReadingBatch b = row.batch;
            int i = row.index;
            RecordConsumer o = out;
            o.startMessage();
            o.startField(ArchiveSchema.SENSOR_ID, 0);
            o.addBinary(row.sensor);
            o.endField(ArchiveSchema.SENSOR_ID, 0);
            o.startField(ArchiveSchema.TS, 1);
            o.addLong(b.eventTime(i));
            o.endField(ArchiveSchema.TS, 1);
            optional(o, ArchiveSchema.TEMPERATURE, 2, b.temperature(i));
            optional(o, ArchiveSchema.HUMIDITY, 3, b.humidity(i));
            optional(o, ArchiveSchema.DISTANCE_CM, 4, b.distanceCm(i));
            byte motion = b.motion(i);
            if (motion != Reading.MOTION_ABSENT) {
                o.startField(ArchiveSchema.MOTION, 5);
                o.addBoolean(motion == 1);
                o.endField(ArchiveSchema.MOTION, 5);
            }
            long seq = b.seq(i);
            if (seq != Reading.SEQ_ABSENT) {
                o.startField(ArchiveSchema.SEQ, 6);
                o.addLong(seq);
                o.endField(ArchiveSchema.SEQ, 6);
            }
            o.endMessage();
        }

        private static void optional(RecordConsumer o, String name, int index, double v) {
            if (v == v) { // NaN: not measured
                o.startField(name, index);
                o.addDouble(v);
                o.endField(name, index);
            }
        }
    }
}
