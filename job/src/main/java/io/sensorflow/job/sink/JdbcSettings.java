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
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(user)
                .withPassword(password)
                // One multi-row INSERT per batch instead of one statement per row.
                .withProperty("reWriteBatchedInserts", "true")
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
