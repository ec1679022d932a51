-- pipeline_health as in V3, with the readings no alert rule saw (window_quality.late_for_rules, V5)
-- as its last column: a window where it is above 0 is one whose alerts may be missing.
CREATE OR REPLACE VIEW pipeline_health AS
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
         WHERE a.span_start >= q.window_start AND a.span_start < q.window_end) AS alerts,
       q.late_for_rules
FROM window_quality q;
