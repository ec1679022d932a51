-- Core schema of the sensorflow pipeline.
-- Every table the job writes is keyed so that a replay after a failure rewrites the same rows
-- (upsert for aggregates, insert-or-ignore for dead letters and late readings).

-- One row per sensor and event-time window, upserted by the job. A row is written when the
-- window closes and rewritten when a late reading within the allowed lateness updates it.
CREATE TABLE sensor_aggregates (
    sensor_id          text             NOT NULL,
    window_start       timestamptz      NOT NULL,
    window_end         timestamptz      NOT NULL,
    reading_count      integer          NOT NULL,
    duplicate_count    integer          NOT NULL,
    temperature_count  integer          NOT NULL,
    temperature_min    double precision,
    temperature_max    double precision,
    temperature_avg    double precision,
    humidity_count     integer          NOT NULL,
    humidity_min       double precision,
    humidity_max       double precision,
    humidity_avg       double precision,
    distance_count     integer          NOT NULL,
    distance_min       double precision,
    distance_max       double precision,
    distance_avg       double precision,
    motion_readings    integer          NOT NULL,
    motion_count       integer          NOT NULL,
    first_event_time   timestamptz      NOT NULL,
    last_event_time    timestamptz      NOT NULL,
    updated_at         timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (sensor_id, window_start)
);
CREATE INDEX sensor_aggregates_window_idx ON sensor_aggregates (window_start);

COMMENT ON COLUMN sensor_aggregates.reading_count   IS 'distinct readings accepted into the window';
COMMENT ON COLUMN sensor_aggregates.duplicate_count IS 'readings delivered again (same sensor and seq, or same time without seq) and counted once';
COMMENT ON COLUMN sensor_aggregates.motion_readings IS 'readings that carried a motion value';
COMMENT ON COLUMN sensor_aggregates.motion_count    IS 'readings with motion = true';

-- Every reading the job rejected, with its reason; the same records go to the dead-letter topic.
CREATE TABLE dead_letters (
    source_topic      text        NOT NULL,
    source_partition  integer     NOT NULL,
    source_offset     bigint      NOT NULL,
    reason_code       text        NOT NULL,
    reason            text        NOT NULL,
    sensor_id         text,
    event_time        timestamptz,
    received_at       timestamptz NOT NULL,
    -- the window of the event time when it could be read, otherwise of the Kafka record time
    window_start      timestamptz NOT NULL,
    window_end        timestamptz NOT NULL,
    payload           bytea       NOT NULL,
    PRIMARY KEY (source_topic, source_partition, source_offset)
);
CREATE INDEX dead_letters_window_idx ON dead_letters (window_start);

-- Valid readings that arrived after their window's allowed lateness had passed.
CREATE TABLE late_readings (
    source_topic      text             NOT NULL,
    source_partition  integer          NOT NULL,
    source_offset     bigint           NOT NULL,
    sensor_id         text             NOT NULL,
    event_time        timestamptz      NOT NULL,
    window_start      timestamptz      NOT NULL,
    window_end        timestamptz      NOT NULL,
    watermark         timestamptz      NOT NULL,
    temperature       double precision,
    humidity          double precision,
    distance_cm       double precision,
    motion            boolean,
    seq               bigint,
    PRIMARY KEY (source_topic, source_partition, source_offset)
);
CREATE INDEX late_readings_window_idx ON late_readings (window_start);

-- The inspiration project's table, as a view over the aggregates.
CREATE VIEW sensor_temperatures AS
SELECT sensor_id,
       window_start,
       window_end,
       round(temperature_avg::numeric, 2)::numeric(5, 2) AS avg_temperature,
       round(temperature_min::numeric, 2)::numeric(5, 2) AS min_temperature,
       round(temperature_max::numeric, 2)::numeric(5, 2) AS max_temperature
FROM sensor_aggregates
WHERE temperature_count > 0;

-- The pipeline's health per window: what was accepted, counted twice, too late or rejected.
CREATE VIEW window_quality AS
WITH accepted AS (
    SELECT window_start, window_end,
           count(*)             AS sensors,
           sum(reading_count)   AS accepted,
           sum(duplicate_count) AS duplicates
    FROM sensor_aggregates
    GROUP BY window_start, window_end
), late AS (
    SELECT window_start, window_end, count(*) AS late
    FROM late_readings
    GROUP BY window_start, window_end
), rejected AS (
    SELECT window_start, window_end, count(*) AS rejected
    FROM dead_letters
    GROUP BY window_start, window_end
), windows AS (
    SELECT window_start, window_end FROM accepted
    UNION SELECT window_start, window_end FROM late
    UNION SELECT window_start, window_end FROM rejected
)
SELECT w.window_start,
       w.window_end,
       coalesce(a.sensors, 0)    AS sensors,
       coalesce(a.accepted, 0)   AS accepted,
       coalesce(a.duplicates, 0) AS duplicates,
       coalesce(l.late, 0)       AS late,
       coalesce(r.rejected, 0)   AS rejected
FROM windows w
LEFT JOIN accepted a USING (window_start, window_end)
LEFT JOIN late l USING (window_start, window_end)
LEFT JOIN rejected r USING (window_start, window_end);
