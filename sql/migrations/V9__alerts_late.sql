-- An alert made by a reading that arrived late for rules (behind the watermark) and that a rule
-- with `late: evaluate` took: whether it was, and by how much event time that reading was late
-- (the time it was judged against minus its own), for the FIRING and for the RESOLVED.
-- Rows written before are on time.
ALTER TABLE sensor_alerts
    ADD COLUMN late                        boolean NOT NULL DEFAULT false,
    ADD COLUMN detection_delay_ms          bigint  CHECK (detection_delay_ms >= 0),
    ADD COLUMN resolved_late               boolean NOT NULL DEFAULT false,
    ADD COLUMN resolved_detection_delay_ms bigint  CHECK (resolved_detection_delay_ms >= 0);
