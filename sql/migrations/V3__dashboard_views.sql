-- Views for dashboards (deploy/grafana/): a dashboard reads only these, never the tables, so
-- the tables can change behind them. Days and hours are UTC whatever the session's time zone.

-- The newest window of each sensor: when it last reported and what it measured then.
CREATE VIEW latest_readings AS
SELECT DISTINCT ON (sensor_id)
       sensor_id,
       window_start,
       window_end,
       last_event_time,
       reading_count,
       temperature_avg, temperature_min, temperature_max,
       humidity_avg, humidity_min, humidity_max,
       distance_avg, distance_min, distance_max,
       motion_readings,
       motion_count,
       updated_at
FROM sensor_aggregates
ORDER BY sensor_id, window_start DESC;

-- The windows of each sensor rolled up into UTC hours and days, as if the readings themselves
-- had been aggregated: averages weighted by each measurement's count, the lowest minimum, the
-- highest maximum, counts summed. A window belongs to the bucket of its start. Both rollups are
-- one query so that they cannot drift apart; a filter on bucket (as in sensor_hourly) is pushed
-- below the GROUP BY, so each view still reads sensor_aggregates once.
CREATE VIEW sensor_rollups AS
SELECT b.bucket,
       a.sensor_id,
       date_trunc(b.bucket, a.window_start, 'UTC') AS bucket_start,
       -- in UTC: a day added in a session time zone with daylight saving can be 23 or 25 hours
       (date_trunc(b.bucket, a.window_start, 'UTC') AT TIME ZONE 'UTC' + ('1 ' || b.bucket)::interval)
           AT TIME ZONE 'UTC' AS bucket_end,
       count(*)                 AS windows,
       sum(a.reading_count)     AS reading_count,
       sum(a.duplicate_count)   AS duplicate_count,
       sum(a.temperature_count) AS temperature_count,
       sum(a.temperature_avg * a.temperature_count) / nullif(sum(a.temperature_count), 0) AS temperature_avg,
       min(a.temperature_min)   AS temperature_min,
       max(a.temperature_max)   AS temperature_max,
       sum(a.humidity_count)    AS humidity_count,
       sum(a.humidity_avg * a.humidity_count) / nullif(sum(a.humidity_count), 0) AS humidity_avg,
       min(a.humidity_min)      AS humidity_min,
       max(a.humidity_max)      AS humidity_max,
       sum(a.distance_count)    AS distance_count,
       sum(a.distance_avg * a.distance_count) / nullif(sum(a.distance_count), 0) AS distance_avg,
       min(a.distance_min)      AS distance_min,
       max(a.distance_max)      AS distance_max,
       sum(a.motion_readings)   AS motion_readings,
       sum(a.motion_count)      AS motion_count,
       min(a.first_event_time)  AS first_event_time,
       max(a.last_event_time)   AS last_event_time
FROM sensor_aggregates a
CROSS JOIN (VALUES ('hour'), ('day')) AS b(bucket)
GROUP BY b.bucket, a.sensor_id, date_trunc(b.bucket, a.window_start, 'UTC');

CREATE VIEW sensor_hourly AS
SELECT sensor_id, bucket_start, bucket_end, windows, reading_count, duplicate_count,
       temperature_count, temperature_avg, temperature_min, temperature_max,
       humidity_count, humidity_avg, humidity_min, humidity_max,
       distance_count, distance_avg, distance_min, distance_max,
       motion_readings, motion_count, first_event_time, last_event_time
FROM sensor_rollups WHERE bucket = 'hour';

CREATE VIEW sensor_daily AS
SELECT sensor_id, bucket_start, bucket_end, windows, reading_count, duplicate_count,
       temperature_count, temperature_avg, temperature_min, temperature_max,
       humidity_count, humidity_avg, humidity_min, humidity_max,
       distance_count, distance_avg, distance_min, distance_max,
       motion_readings, motion_count, first_event_time, last_event_time
FROM sensor_rollups WHERE bucket = 'day';

-- Alerts still going on. severity_rank sorts critical first.
CREATE VIEW open_alerts AS
SELECT alert_id,
       rule_id,
       rule_kind,
       severity,
       CASE severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END AS severity_rank,
       sensor_id,
       span_start,
       span_end,
       message,
       readings,
       detected_at,
       updated_at
FROM sensor_alerts
WHERE status = 'FIRING';

-- Alerts per rule and UTC day of their event time (span_start), by status and severity.
CREATE VIEW alert_counts AS
SELECT rule_id,
       date_trunc('day', span_start, 'UTC')                       AS day,
       count(*)                                                   AS alerts,
       count(*) FILTER (WHERE status = 'FIRING')                  AS firing,
       count(*) FILTER (WHERE status = 'RESOLVED')                AS resolved,
       count(*) FILTER (WHERE severity = 'critical')              AS critical,
       count(*) FILTER (WHERE severity = 'warning')               AS warning,
       count(*) FILTER (WHERE severity = 'info')                  AS info,
       count(DISTINCT sensor_id)                                  AS sensors
FROM sensor_alerts
GROUP BY rule_id, date_trunc('day', span_start, 'UTC');

-- window_quality plus the alerts whose event time starts in the window, and what was received
-- in all (every reading that reached the job: accepted once, duplicates, late, rejected).
-- A window appears once it has a row, a late reading or a dead letter; alerts in a stretch with
-- none of these (every sensor silent) are in alert_counts and open_alerts, not here.
CREATE VIEW pipeline_health AS
SELECT q.window_start,
       q.window_end,
       q.sensors,
       q.accepted,
       q.duplicates,
       q.late,
       q.rejected,
       q.accepted + q.duplicates + q.late + q.rejected AS received,
       round(100.0 * q.rejected / nullif(q.accepted + q.duplicates + q.late + q.rejected, 0), 2)
           AS rejected_percent,
       (SELECT count(*) FROM sensor_alerts a
         WHERE a.span_start >= q.window_start AND a.span_start < q.window_end) AS alerts
FROM window_quality q;

-- For the time filters of alert_counts and pipeline_health.
CREATE INDEX sensor_alerts_span_start_idx ON sensor_alerts (span_start);
