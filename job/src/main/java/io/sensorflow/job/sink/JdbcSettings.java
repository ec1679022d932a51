package io.sensorflow.job.sink;

import java.io.Serializable;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;

/** Where the job's PostgreSQL is, and how its sinks batch their writes. */
public final class JdbcSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public final String url;
    public final String user;
    public final String password;
    public final int batchSize;
    public final long flushIntervalMs;
    public final int maxRetries;

    public JdbcSettings(String url, String user, String password, int batchSize, long flushIntervalMs, int maxRetries) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.maxRetries = maxRetries;
    }

    JdbcConnectionOptions connectionOptions() {
        return connectionOptions(true);
    }

    /**
     * With {@code multiRowInserts}, the driver sends a batch as one multi-row INSERT instead of one
     * statement per row; PostgreSQL then refuses an upsert that names one key twice ("ON CONFLICT
     * DO UPDATE command cannot affect row a second time"), so a sink whose batch may hold two rows
     * of one key goes without.
     */
    JdbcConnectionOptions connectionOptions(boolean multiRowInserts) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(user)
                .withPassword(password)
                .withProperty("reWriteBatchedInserts", Boolean.toString(multiRowInserts))
                // The driver waits forever by default; a database that goes away mid-handshake
                // or mid-write would then hang a sink (and every checkpoint) instead of failing it.
                .withProperty("connectTimeout", "10")
                .withProperty("loginTimeout", "10")
                .withProperty("socketTimeout", "60")
                .build();
    }

    JdbcExecutionOptions executionOptions() {
        return executionOptions(batchSize);
    }

    JdbcExecutionOptions executionOptions(int rowsPerBatch) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(rowsPerBatch)
                // Without an interval, a quiet stream's rows would wait for the next checkpoint.
                .withBatchIntervalMs(flushIntervalMs)
                .withMaxRetries(maxRetries)
                .build();
    }
}
