package io.sensorflow.job.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.job.aggregate.ReadingBatch;
import io.sensorflow.job.readings.Reading;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The archive's Parquet files, written and read without Hadoop on the classpath (the job's tests
 * leave it out, as a cluster does): what DuckDB reads from them, and what the compaction reads back.
 */
class ArchiveParquetTest {

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest
    @EnumSource(ParquetCodecs.Codec.class)
    void duckDbReadsEveryColumnAsWritten(ParquetCodecs.Codec codec) throws Exception {
        Path file = write(codec, batches());

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id, epoch_ms(ts), temperature, humidity, distance_cm, motion,"
                        + " seq FROM read_parquet('" + file.getPath() + "') ORDER BY sensor_id, ts")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getObject(3) + " " + rs.getObject(4) + " "
                        + rs.getObject(5) + " " + rs.getObject(6) + " " + rs.getObject(7));
            }
            assertThat(rows).hasSize(10_001);
            assertThat(rows.get(0)).isEqualTo("greenhouse-01 1000 21.5 48.0 null true 7");
            assertThat(rows.get(1)).isEqualTo("greenhouse-01 2000 null null 132.5 null null");
            assertThat(rows.get(2)).isEqualTo("sensor-ü 0 0.0 0.0 0.0 false 0");
            assertThat(rows.get(10_000)).isEqualTo("sensor-ü 9998000 9998.0 0.0 0.0 false 9998");
        }
    }

    @ParameterizedTest
    @EnumSource(ParquetCodecs.Codec.class)
    void compactionReadsBackRunsOfOneSensor(ParquetCodecs.Codec codec) throws Exception {
        Path file = write(codec, batches());

        List<String> runs = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (ArchiveParquetReader reader = (ArchiveParquetReader) new ArchiveParquetReader.Factory().createFor(file)) {
            ReadingBatch b;
            while ((b = reader.read()) != null) {
                runs.add(b.sensorId + ":" + b.size);
                for (int i = 0; i < b.size; i++) {
                    rows.add(b.sensorId + " " + b.eventTime(i) + " " + b.temperature(i) + " " + b.humidity(i) + " "
                            + b.distanceCm(i) + " " + b.motion(i) + " " + b.seq(i));
                }
            }
        }
        assertThat(runs).containsExactly("greenhouse-01:2", "sensor-ü:4096", "sensor-ü:4096", "sensor-ü:1807");
        assertThat(rows.get(0)).isEqualTo("greenhouse-01 1000 21.5 48.0 NaN 1 7");
        assertThat(rows.get(1)).isEqualTo("greenhouse-01 2000 NaN NaN 132.5 -1 -1");
        assertThat(rows.get(2)).isEqualTo("sensor-ü 0 0.0 0.0 0.0 0 0");
    }

    @ParameterizedTest
    @EnumSource(value = ParquetCodecs.Codec.class, names = "ZSTD")
    void aFileOfOtherColumnsIsRefusedByName(ParquetCodecs.Codec codec) throws Exception {
        java.nio.file.Path other = dir.resolve("other.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1 AS x) TO '" + other + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> new ArchiveParquetReader.Factory().createFor(new Path(other.toUri())))
                .hasMessageContaining(other.toString()).hasMessageContaining("not the archive's");
    }

    private static List<ReadingBatch> batches() {
        ReadingBatch a = ReadingBatch.create("greenhouse-01", 0, 1);
        Reading r = new Reading();
        r.sensorId = "greenhouse-01";
        r.eventTime = 1000;
        r.temperature = 21.5;
        r.humidity = 48.0;
        r.motion = 1;
        r.seq = 7;
        a.add(r);
        Reading absent = new Reading();
        absent.sensorId = "greenhouse-01";
        absent.eventTime = 2000;
        absent.distanceCm = 132.5;
        a.add(absent);
        ReadingBatch b = ReadingBatch.create("sensor-ü", 0, 1);
        for (int i = 0; i < 9_999; i++) {
            b.add(i * 1000L, 0, i, 0.0, -0.0 + 0.0, (byte) 0, i);
        }
        return List.of(a, b);
    }

    private Path write(ParquetCodecs.Codec codec, List<ReadingBatch> batches) throws Exception {
        Path file = new Path(Files.createTempFile(dir, "archive-", ".parquet").toUri());
        FileSystem fs = file.getFileSystem();
        try (FSDataOutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            BulkWriter<ReadingBatch> writer = new ArchiveParquetWriter(codec, 1 << 20).create(out);
            for (ReadingBatch batch : batches) {
                writer.addElement(batch);
            }
            writer.finish();
        }
        return file;
    }
}
