package io.sensorflow.local;

import io.sensorflow.durations.DurationConverter;
import io.sensorflow.job.archive.ArchiveWorkFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * SQL over the archive (sql/archive.md) with DuckDB in this process: no server, no download. The
 * view {@code readings} holds the archived readings, with the folders' {@code day} and {@code hour}.
 */
@Command(name = "query-archive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs SQL over the job's archive (Parquet files, see sql/archive.md) with DuckDB in-process.",
                "The view 'readings' has the columns sensor_id, ts, temperature, humidity, distance_cm, motion, seq,"
                        + " day, hour; any DuckDB SQL works."})
public final class QueryArchive implements Callable<Integer> {

    static final String DEFAULT_SQL = "SELECT count(*) AS readings, count(DISTINCT sensor_id) AS sensors,"
            + " min(ts) AS first, max(ts) AS last FROM readings";

    @Option(names = "--archive-dir", required = true, paramLabel = "DIR",
            description = "The archive's directory (--archive-dir of the job; a local path or file:// URI).")
    String archiveDir;

    @Option(names = "--remove-work-files-older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "First remove the in-progress files that failed attempts left, if older than this (e.g. 1d);"
                    + " it must be longer than the job's --archive-compact-every and any stop of a job to be resumed.")
    Duration removeWorkFilesOlderThan;

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "The query. Default: " + DEFAULT_SQL)
    String sql = DEFAULT_SQL;

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueryArchive()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = archiveDir.startsWith("file:") ? Path.of(java.net.URI.create(archiveDir)) : Path.of(archiveDir);
        if (!Files.isDirectory(dir)) {
            System.err.println("query-archive: --archive-dir " + archiveDir + " is not a directory");
            return 2;
        }
        if (removeWorkFilesOlderThan != null) {
            for (org.apache.flink.core.fs.Path p : ArchiveWorkFiles.removeOrphans(
                    new org.apache.flink.core.fs.Path(dir.toUri()), removeWorkFilesOlderThan, Instant.now())) {
                System.err.println("removed " + p);
            }
        }
        try {
            query(dir, sql, System.out);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("No files found")) {
                System.err.println("query-archive: no archive files under " + dir + " yet: the job merges and shows them"
                        + " at the latest --archive-compact-every after the readings came");
            } else {
                System.err.println("query-archive: " + e.getMessage());
            }
            return 1;
        }
        return 0;
    }

    /** Runs {@code sql} over the archive in {@code dir} and prints the result. */
    static void query(Path dir, String sql, PrintStream out) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE VIEW readings AS SELECT * FROM read_parquet('" + glob(dir) + "', hive_partitioning = true)");
            try (ResultSet rs = st.executeQuery(sql)) {
                print(rs, out);
            }
        }
    }

    /** The archive's files for DuckDB, whose globs match hidden files: the work files are left out. */
    static String glob(Path dir) {
        return dir.toAbsolutePath().toString().replace("'", "''") + "/**/[!.]*.parquet";
    }

    /** The result as an aligned table. */
    static void print(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = meta.getColumnLabel(i + 1);
            width[i] = header[i].length();
        }
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = String.valueOf(rs.getObject(i + 1));
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        out.println(line(header, width));
        for (String[] row : rows) {
            out.println(line(row, width));
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", cells[i]));
        }
        return b.toString().stripTrailing();
    }
}
