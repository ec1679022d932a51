-- Outlier rules (issue 13): their alerts have rule_kind 'outlier'.
ALTER TABLE sensor_alerts DROP CONSTRAINT sensor_alerts_rule_kind_check;
ALTER TABLE sensor_alerts ADD CONSTRAINT sensor_alerts_rule_kind_check
    CHECK (rule_kind IN ('silence', 'sequence', 'rise', 'stuck', 'outlier'));
