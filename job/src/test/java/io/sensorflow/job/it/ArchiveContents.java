package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.archive.ArchiveWorkFiles;
import io.sensorflow.oracle.AcceptedReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the job's archive must hold after a scenario, read with DuckDB as sql/archive.md says: the
 * oracle's accepted readings, each once, in the documented layout.
 */
final class ArchiveContents {

    /** The archive's files, as sql/archive.md says to read them: hidden work files left out. */
    static final String GLOB = "/**/[!.]*.parquet";

    private ArchiveContents() {}

    /**
     * Every accepted reading once (every column, and its hour folder), nothing else; only merged
     * files; no work file left, but for the in-progress files of a killed attempt ({@code afterAKill}),
     * which {@link ArchiveWorkFiles} then removes.
     */
    static void assertHolds(Path archive, List<AcceptedReading> accepted, boolean afterAKill) throws Exception {
        List<String> expected = new ArrayList<>();
        for (AcceptedReading r : accepted) {
            expected.add(row(r.sensorId(), r.eventTime(), r.temperature(), r.humidity(), r.distanceCm(), r.motion(), r.seq(),
                    folderOf(r.eventTime())));
        }
        List<String> archived = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id, epoch_ms(ts), temperature, humidity, distance_cm, motion,"
                        + " seq, 'day=' || CAST(day AS VARCHAR) || '/hour=' || lpad(CAST(hour AS VARCHAR), 2, '0')"
                        + " FROM read_parquet('" + archive + GLOB + "', hive_partitioning = true)")) {
            while (rs.next()) {
                archived.add(row(rs.getString(1), rs.getLong(2), (Double) rs.getObject(3), (Double) rs.getObject(4),
                        (Double) rs.getObject(5), (Boolean) rs.getObject(6), (Long) rs.getObject(7), rs.getString(8)));
            }
        }
        expected.sort(null);
        archived.sort(null);
        assertThat(archived).as("the archived readings").hasSameSizeAs(expected).isEqualTo(expected);

        List<String> workFiles = files(archive).stream().filter(f -> f.contains("/.")).toList();
        if (afterAKill) {
            assertThat(workFiles).as("hidden files: the killed attempt's in-progress files only")
                    .allMatch(f -> ArchiveWorkFiles.isInProgress(f.substring(f.lastIndexOf('/') + 1)));
            ArchiveWorkFiles.removeOrphans(new org.apache.flink.core.fs.Path(archive.toUri()), Duration.ZERO, Instant.now());
        }
        assertThat(files(archive)).as("only merged files, in day=/hour= folders, no work file").isNotEmpty()
                .allMatch(f -> f.matches("day=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/compacted-part-[0-9a-f-]+\\.parquet"));
    }

    /**
     * The inspiration project's query, {@code SELECT device_id, AVG(temperature), MAX(humidity) ...
     * GROUP BY device_id} (the reading's id is sensor_id here), over the archive, against the same
     * worked out from the accepted readings.
     */
    static void assertPerDeviceQuery(Path archive, List<AcceptedReading> accepted, int devices) throws Exception {
        Map<String, String> fromArchive = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id AS device_id, AVG(temperature) AS avg_temp,"
                        + " MAX(humidity) AS max_humidity FROM read_parquet('" + archive + GLOB + "')"
                        + " GROUP BY sensor_id")) {
            while (rs.next()) {
                fromArchive.put(rs.getString(1), String.format(Locale.ROOT, "%.9f %s", rs.getDouble(2), rs.getObject(3)));
            }
        }
        Map<String, double[]> sums = new TreeMap<>(); // temperature sum, count, humidity max
        for (AcceptedReading r : accepted) {
            double[] s = sums.computeIfAbsent(r.sensorId(), k -> new double[] {0, 0, Double.NEGATIVE_INFINITY});
            if (r.temperature() != null) {
                s[0] += r.temperature();
                s[1]++;
            }
            if (r.humidity() != null) {
                s[2] = Math.max(s[2], r.humidity());
            }
        }
        Map<String, String> fromReadings = new TreeMap<>();
        sums.forEach((sensor, s) -> fromReadings.put(sensor, String.format(Locale.ROOT, "%.9f %s", s[0] / s[1],
                s[2] == Double.NEGATIVE_INFINITY ? "null" : Double.toString(s[2]))));
        assertThat(fromArchive).hasSize(devices).isEqualTo(fromReadings);
    }

    private static List<String> files(Path root) throws java.io.IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String row(String sensor, long ts, Double t, Double h, Double d, Boolean motion, Long seq, String folder) {
        return sensor + " " + Instant.ofEpochMilli(ts) + " t=" + t + " h=" + h + " d=" + d + " m=" + motion + " seq=" + seq
                + " in " + folder;
    }

    private static String folderOf(long ts) {
        var at = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC);
        return String.format("day=%s/hour=%02d", at.toLocalDate(), at.getHour());
    }
}
