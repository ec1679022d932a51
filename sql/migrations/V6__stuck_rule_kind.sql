-- Stuck rules (issue 13): their alerts have rule_kind 'stuck'. (V6, not V5: another change of
-- issue 13 takes V5; Flyway applies whichever of them a database lacks, in order.)
ALTER TABLE sensor_alerts DROP CONSTRAINT sensor_alerts_rule_kind_check;
ALTER TABLE sensor_alerts ADD CONSTRAINT sensor_alerts_rule_kind_check
    CHECK (rule_kind IN ('silence', 'sequence', 'rise', 'stuck'));
