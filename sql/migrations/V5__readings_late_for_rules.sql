-- Readings that count in their window's aggregate but arrived behind the watermark, where no alert
-- rule sees them any more (a sensor that queued its readings while offline and sent them in a
-- burst). Rows written before this version had no such count: 0.
ALTER TABLE sensor_aggregates
    ADD COLUMN readings_late_for_rules integer NOT NULL DEFAULT 0;

COMMENT ON COLUMN sensor_aggregates.readings_late_for_rules IS
    'of reading_count, the readings that arrived behind the watermark: counted here, seen by no alert rule';

-- window_quality as in V1, with the readings the rules did not see as its last column (a view can
-- only gain columns at its end; pipeline_health reads it by name).
CREATE OR REPLACE VIEW window_quality AS
WITH accepted AS (
    SELECT window_start, window_end,
           count(*)                     AS sensors,
           sum(reading_count)           AS accepted,
           sum(duplicate_count)         AS duplicates,
           sum(readings_late_for_rules) AS late_for_rules
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
       coalesce(a.sensors, 0)        AS sensors,
       coalesce(a.accepted, 0)       AS accepted,
       coalesce(a.duplicates, 0)     AS duplicates,
       coalesce(l.late, 0)           AS late,
       coalesce(r.rejected, 0)       AS rejected,
       coalesce(a.late_for_rules, 0) AS late_for_rules
FROM windows w
LEFT JOIN accepted a USING (window_start, window_end)
LEFT JOIN late l USING (window_start, window_end)
LEFT JOIN rejected r USING (window_start, window_end);
