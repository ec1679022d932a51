package io.sensorflow.job.archive;

import io.sensorflow.job.aggregate.ReadingBatch;
import io.sensorflow.job.readings.Reading;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetMetricsCallback;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads an archive file back as batches of consecutive readings of one sensor, for the FileSink's
 * compaction, which writes them into a larger file with {@link ArchiveParquetWriter}. Files are
 * written batch by batch, so a sensor's readings come in runs and a batch is a run (at most
 * {@link #MAX_BATCH} readings). The batch returned is reused by the next call: the compactor writes
 * each one before it reads on. Content hashes are not archived and read back as 0.
 */
public final class ArchiveParquetReader implements RecordWiseFileCompactor.Reader<ReadingBatch> {

    static final int MAX_BATCH = 4096;

    private static final ParquetReadOptions READ_OPTIONS = readOptions();

    private final Path path;
    private final FSDataInputStream in;
    private final ParquetFileReader file;
    private final MessageColumnIO columns;
    private final Materializer row = new Materializer();
    private final ReadingBatch batch = ReadingBatch.create("", 0, MAX_BATCH);
    private RecordReader<Materializer> rows;
    private long rowsLeftInGroup;
    /** A row read but not yet returned: the first of the next sensor's run. */
    private boolean pending;
    private Binary batchSensor;

    ArchiveParquetReader(Path path) throws IOException {
        this.path = path;
        FileSystem fs = path.getFileSystem();
        long length = fs.getFileStatus(path).getLen();
        this.in = fs.open(path);
        try {
            this.file = ParquetFileReader.open(new ParquetInputFile(in, length), READ_OPTIONS);
            MessageType schema = file.getFooter().getFileMetaData().getSchema();
            if (!schema.equals(ArchiveSchema.SCHEMA)) {
                throw new IOException("archive file " + path + " has columns " + schema + ", not the archive's " + ArchiveSchema.SCHEMA);
            }
            this.columns = new ColumnIOFactory().getColumnIO(schema);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public ReadingBatch read() throws IOException {
        batch.size = 0;
        batchSensor = null;
        while (true) {
            if (!pending) {
                if (!next()) {
                    return batch.size == 0 ? null : batch;
                }
                pending = true;
            }
            if (batchSensor == null) {
                batchSensor = row.sensor.copy();
                batch.sensorId = batchSensor.toStringUsingUTF8();
            } else if (!row.sensor.equals(batchSensor) || batch.size == MAX_BATCH) {
                return batch; // the pending row starts the next batch
            }
            batch.add(row.ts, 0L, row.temperature, row.humidity, row.distanceCm, row.motion, row.seq);
            pending = false;
        }
    }

    private boolean next() throws IOException {
        while (rowsLeftInGroup == 0) {
            PageReadStore group = file.readNextRowGroup();
            if (group == null) {
                return false;
            }
            rowsLeftInGroup = group.getRowCount();
            rows = columns.getRecordReader(group, row);
        }
        rowsLeftInGroup--;
        if (rows.read() == null) {
            throw new IOException("archive file " + path + ": a row group ended before its row count");
        }
        return true;
    }

    /**
     * parquet-hadoop's {@code ParquetReadOptions.Builder} loads Hadoop classes whatever it is given
     * (a record filter from {@code ParquetInputFormat}, Hadoop's codecs), though reading needs none
     * of them: the options are made with the constructor the builder calls, which is package-private.
     * Checked by ArchiveParquetTest, which runs without Hadoop.
     */
    private static ParquetReadOptions readOptions() {
        try {
            Constructor<ParquetReadOptions> c = ParquetReadOptions.class.getDeclaredConstructor(
                    boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                    boolean.class, boolean.class, boolean.class, FilterCompat.Filter.class,
                    ParquetMetadataConverter.MetadataFilter.class, CompressionCodecFactory.class,
                    ByteBufferAllocator.class, int.class, Map.class, FileDecryptionProperties.class,
                    ParquetMetricsCallback.class, ParquetConfiguration.class);
            c.setAccessible(true);
            return c.newInstance(
                    false, // useSignedStringMinMax
                    false, false, false, false, // statistics, dictionary, record and column-index filters: none
                    false, // page checksums
                    false, // bloom filters
                    false, // off-heap decryption buffer
                    false, // Hadoop's vectored IO
                    FilterCompat.NOOP, ParquetMetadataConverter.NO_FILTER, new ParquetCodecs(),
                    new HeapByteBufferAllocator(), 8 << 20, new HashMap<String, String>(), null, null,
                    new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("parquet-hadoop's ParquetReadOptions constructor changed", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            in.close();
        }
    }

    /** Creates readers; serializable, as the compactor's configuration. */
    public static final class Factory implements RecordWiseFileCompactor.Reader.Factory<ReadingBatch> {
        private static final long serialVersionUID = 1L;

        @Override
        public RecordWiseFileCompactor.Reader<ReadingBatch> createFor(Path path) throws IOException {
            return new ArchiveParquetReader(path);
        }
    }

    /** One row's values, filled by Parquet's record assembly; absent values as the batch spells them. */
    private static final class Materializer extends RecordMaterializer<Materializer> {
        Binary sensor;
        long ts;
        double temperature;
        double humidity;
        double distanceCm;
        byte motion;
        long seq;

        private final Converter[] fields = {
            new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    sensor = value;
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    ts = value;
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addDouble(double value) {
                    temperature = value;
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addDouble(double value) {
                    humidity = value;
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addDouble(double value) {
                    distanceCm = value;
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addBoolean(boolean value) {
                    motion = (byte) (value ? 1 : 0);
                }
            },
            new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    seq = value;
                }
            },
        };

        private final GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return fields[fieldIndex];
            }

            @Override
            public void start() {
                temperature = Double.NaN;
                humidity = Double.NaN;
                distanceCm = Double.NaN;
                motion = Reading.MOTION_ABSENT;
                seq = Reading.SEQ_ABSENT;
            }

            @Override
            public void end() {}
        };

        @Override
        public Materializer getCurrentRecord() {
            return this;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
