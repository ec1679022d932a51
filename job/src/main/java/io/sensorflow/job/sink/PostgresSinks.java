package io.sensorflow.job.sink;

import io.sensorflow.job.aggregate.SensorWindowAggregate;
import io.sensorflow.job.alerts.Alert;
import io.sensorflow.job.alerts.AlertJson;
import io.sensorflow.job.deadletter.DeadLetter;
import io.sensorflow.job.late.LateReading;
import io.sensorflow.job.readings.Reading;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The job's writes to PostgreSQL. Each is idempotent, so the at-least-once JDBC sink (which
 * flushes on every checkpoint) gives exactly the right rows after a replay: aggregates are
 * upserted with their complete value, dead letters and late readings are keyed by their Kafka
 * coordinates and inserted once.
 */
public final class PostgresSinks {

    static final String UPSERT_AGGREGATE = "INSERT INTO sensor_aggregates ("
            + "sensor_id, window_start, window_end, reading_count, duplicate_count, "
            + "temperature_count, temperature_min, temperature_max, temperature_avg, "
            + "humidity_count, humidity_min, humidity_max, humidity_avg, "
            + "distance_count, distance_min, distance_max, distance_avg, "
            + "motion_readings, motion_count, first_event_time, last_event_time, readings_late_for_rules, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (sensor_id, window_start) DO UPDATE SET "
            + "window_end = EXCLUDED.window_end, reading_count = EXCLUDED.reading_count, "
            + "duplicate_count = EXCLUDED.duplicate_count, "
            + "temperature_count = EXCLUDED.temperature_count, temperature_min = EXCLUDED.temperature_min, "
            + "temperature_max = EXCLUDED.temperature_max, temperature_avg = EXCLUDED.temperature_avg, "
            + "humidity_count = EXCLUDED.humidity_count, humidity_min = EXCLUDED.humidity_min, "
            + "humidity_max = EXCLUDED.humidity_max, humidity_avg = EXCLUDED.humidity_avg, "
            + "distance_count = EXCLUDED.distance_count, distance_min = EXCLUDED.distance_min, "
            + "distance_max = EXCLUDED.distance_max, distance_avg = EXCLUDED.distance_avg, "
            + "motion_readings = EXCLUDED.motion_readings, motion_count = EXCLUDED.motion_count, "
            + "first_event_time = EXCLUDED.first_event_time, last_event_time = EXCLUDED.last_event_time, "
            + "readings_late_for_rules = EXCLUDED.readings_late_for_rules, updated_at = now()";

    static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters ("
            + "source_topic, source_partition, source_offset, reason_code, reason, sensor_id, event_time, "
            + "received_at, window_start, window_end, payload, payload_size, payload_sha256, payload_truncated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";

    static final String INSERT_LATE_READING = "INSERT INTO late_readings ("
            + "source_topic, source_partition, source_offset, sensor_id, event_time, window_start, window_end, "
            + "watermark, temperature, humidity, distance_cm, motion, seq) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private static final String INSERT_ALERT = "INSERT INTO sensor_alerts ("
            + "alert_id, rule_id, rule_kind, severity, sensor_id, status, span_start, span_end, resolved_at, "
            + "readings, message, detected_at, late, detection_delay_ms, resolved_late, resolved_detection_delay_ms, "
            + "updated_at) "
            + "VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (alert_id) ";

    /**
     * A FIRING is written once: a replay would change nothing but detected_at. (Not DO UPDATE: a
     * batch, rewritten into one multi-row INSERT, may hold one alert twice, which PostgreSQL refuses
     * to upsert; a RESOLVED that comes first writes the FIRING's lateness itself.)
     */
    static final String INSERT_FIRING_ALERT = INSERT_ALERT + "DO NOTHING";

    /** A RESOLVED closes its episode's row, or writes it whole if the FIRING has not arrived yet. */
    static final String UPSERT_RESOLVED_ALERT = INSERT_ALERT + "DO UPDATE SET status = EXCLUDED.status, "
            + "span_end = EXCLUDED.span_end, resolved_at = EXCLUDED.resolved_at, readings = EXCLUDED.readings, "
            + "message = EXCLUDED.message, late = EXCLUDED.late, detection_delay_ms = EXCLUDED.detection_delay_ms, "
            + "resolved_late = EXCLUDED.resolved_late, "
            + "resolved_detection_delay_ms = EXCLUDED.resolved_detection_delay_ms, updated_at = now()";

    private PostgresSinks() {}

    private static <T> Sink<T> quiet(JdbcSink<T> sink) {
        return new JdbcSinkClosingQuietly<>(sink);
    }

    /**
     * FIRING and RESOLVED go through sinks of their own: in one batch, rewritten by the driver into
     * one multi-row INSERT, PostgreSQL refuses to upsert the same alert_id twice.
     */
    public static Sink<Alert> alerts(JdbcSettings jdbc, boolean resolved) {
        return quiet(JdbcSink.<Alert>builder()
                .withQueryStatement(resolved ? UPSERT_RESOLVED_ALERT : INSERT_FIRING_ALERT, PostgresSinks::bindAlert)
                .withExecutionOptions(jdbc.executionOptions())
                .buildAtLeastOnce(jdbc.connectionOptions()));
    }

    static void bindAlert(PreparedStatement ps, Alert a) throws SQLException {
        ps.setString(1, a.alertId);
        ps.setString(2, a.ruleId);
        ps.setString(3, a.ruleKind);
        ps.setString(4, a.severity);
        ps.setString(5, a.sensorId);
        ps.setString(6, a.status);
        ps.setObject(7, time(a.spanStart));
        ps.setObject(8, time(a.spanEnd));
        ps.setObject(9, a.resolvedAt == Alert.NOT_RESOLVED ? null : time(a.resolvedAt), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setString(10, AlertJson.readingsJson(a));
        ps.setString(11, a.message);
        ps.setObject(12, time(a.detectedAt));
        // The FIRING's lateness in late/detection_delay_ms (a RESOLVED carries it, as it may write
        // the row first), a RESOLVED's own in resolved_*.
        boolean resolved = a.status.equals(Alert.RESOLVED);
        boolean firingLate = resolved ? a.firingLate : a.late;
        ps.setBoolean(13, firingLate);
        ps.setObject(14, firingLate ? (resolved ? a.firingDetectionDelayMs : a.detectionDelayMs) : null, Types.BIGINT);
        ps.setBoolean(15, resolved && a.late);
        ps.setObject(16, resolved && a.late ? a.detectionDelayMs : null, Types.BIGINT);
    }

    /**
     * A window's row is written when it closes and again at each late update: both can be in one
     * batch (a reading a few seconds behind the watermark, just after its window closed), so this
     * batch goes as one statement per row, in order, and the last row of a window wins. It is one
     * row per sensor and window, far fewer than readings.
     */
    public static Sink<SensorWindowAggregate> aggregates(JdbcSettings jdbc) {
        return quiet(JdbcSink.<SensorWindowAggregate>builder()
                .withQueryStatement(UPSERT_AGGREGATE, PostgresSinks::bindAggregate)
                .withExecutionOptions(jdbc.executionOptions())
                .buildAtLeastOnce(jdbc.connectionOptions(false)));
    }

    /**
     * At most this many dead letters wait in a batch: the sink holds the records themselves until
     * it flushes, and a dead letter may hold a payload of up to the topic's record limit.
     */
    static final int DEAD_LETTERS_PER_BATCH = 100;

    public static Sink<DeadLetter> deadLetters(JdbcSettings jdbc) {
        return quiet(JdbcSink.<DeadLetter>builder()
                .withQueryStatement(INSERT_DEAD_LETTER, PostgresSinks::bindDeadLetter)
                .withExecutionOptions(jdbc.executionOptions(Math.min(jdbc.batchSize, DEAD_LETTERS_PER_BATCH)))
                .buildAtLeastOnce(jdbc.connectionOptions()));
    }

    public static Sink<LateReading> lateReadings(JdbcSettings jdbc) {
        return quiet(JdbcSink.<LateReading>builder()
                .withQueryStatement(INSERT_LATE_READING, PostgresSinks::bindLateReading)
                .withExecutionOptions(jdbc.executionOptions())
                .buildAtLeastOnce(jdbc.connectionOptions()));
    }

    static void bindAggregate(PreparedStatement ps, SensorWindowAggregate a) throws SQLException {
        ps.setString(1, a.sensorId);
        ps.setObject(2, time(a.windowStart));
        ps.setObject(3, time(a.windowEnd));
        ps.setInt(4, a.readingCount);
        ps.setInt(5, a.duplicateCount);
        ps.setInt(6, a.temperatureCount);
        setDouble(ps, 7, a.temperatureMin);
        setDouble(ps, 8, a.temperatureMax);
        setDouble(ps, 9, a.temperatureAvg);
        ps.setInt(10, a.humidityCount);
        setDouble(ps, 11, a.humidityMin);
        setDouble(ps, 12, a.humidityMax);
        setDouble(ps, 13, a.humidityAvg);
        ps.setInt(14, a.distanceCount);
        setDouble(ps, 15, a.distanceMin);
        setDouble(ps, 16, a.distanceMax);
        setDouble(ps, 17, a.distanceAvg);
        ps.setInt(18, a.motionReadings);
        ps.setInt(19, a.motionCount);
        ps.setObject(20, time(a.firstEventTime));
        ps.setObject(21, time(a.lastEventTime));
        ps.setInt(22, a.readingsLateForRules);
    }

    static void bindDeadLetter(PreparedStatement ps, DeadLetter d) throws SQLException {
        ps.setString(1, d.sourceTopic);
        ps.setInt(2, d.sourcePartition);
        ps.setLong(3, d.sourceOffset);
        ps.setString(4, d.reasonCode);
        ps.setString(5, d.reason);
        ps.setString(6, d.sensorId);
        ps.setObject(7, d.hasEventTime() ? time(d.eventTime) : null, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(8, time(d.receivedAt));
        ps.setObject(9, time(d.windowStart));
        ps.setObject(10, time(d.windowEnd));
        // The table keeps at most the first PAYLOAD_PREFIX_BYTES: a JDBC batch holds thousands of rows.
        byte[] kept = d.payload.length <= DeadLetter.PAYLOAD_PREFIX_BYTES ? d.payload
                : java.util.Arrays.copyOf(d.payload, DeadLetter.PAYLOAD_PREFIX_BYTES);
        ps.setBytes(11, kept);
        ps.setInt(12, d.payloadSize);
        ps.setString(13, java.util.HexFormat.of().formatHex(d.payloadSha256));
        ps.setBoolean(14, kept.length < d.payloadSize);
    }

    static void bindLateReading(PreparedStatement ps, LateReading l) throws SQLException {
        ps.setString(1, l.sourceTopic);
        ps.setInt(2, l.sourcePartition);
        ps.setLong(3, l.sourceOffset);
        ps.setString(4, l.sensorId);
        ps.setObject(5, time(l.eventTime));
        ps.setObject(6, time(l.windowStart));
        ps.setObject(7, time(l.windowEnd));
        ps.setObject(8, time(l.watermark));
        setDouble(ps, 9, l.temperature);
        setDouble(ps, 10, l.humidity);
        setDouble(ps, 11, l.distanceCm);
        if (l.motion == Reading.MOTION_ABSENT) {
            ps.setNull(12, Types.BOOLEAN);
        } else {
            ps.setBoolean(12, l.motion == 1);
        }
        if (l.seq == Reading.SEQ_ABSENT) {
            ps.setNull(13, Types.BIGINT);
        } else {
            ps.setLong(13, l.seq);
        }
    }

    private static OffsetDateTime time(long epochMs) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }

    private static void setDouble(PreparedStatement ps, int index, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }
}
