-- Alerts, beside the aggregates, so dashboards can show both. The same alerts go to the Kafka
-- alerts topic. One row per alert episode (alert_id is derived from rule, sensor and the
-- episode's start, so a replay rewrites the same row); a silence's RESOLVED updates its row.
CREATE TABLE sensor_alerts (
    alert_id      uuid        PRIMARY KEY,
    rule_id       text        NOT NULL,
    rule_kind     text        NOT NULL CHECK (rule_kind IN ('silence', 'sequence', 'rise')),
    severity      text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    sensor_id     text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('FIRING', 'RESOLVED')),
    -- event time: the span of readings (or of silence) the alert is about
    span_start    timestamptz NOT NULL,
    span_end      timestamptz NOT NULL,
    -- event time the episode ended; null while a silence goes on, and for sequences and rises
    resolved_at   timestamptz,
    -- the readings that made the alert: [{"time": "...", "value": ...}, ...]
    readings      jsonb       NOT NULL,
    message       text        NOT NULL,
    -- wall-clock time the job detected it (of the FIRING)
    detected_at   timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sensor_alerts_sensor_idx ON sensor_alerts (sensor_id, span_start);
CREATE INDEX sensor_alerts_open_idx ON sensor_alerts (status) WHERE status = 'FIRING';
