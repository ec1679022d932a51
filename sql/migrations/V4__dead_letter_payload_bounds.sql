-- A dead letter's payload is kept whole only while it fits (the job's topic record limit; 64 KiB in
-- this table); otherwise its first 64 KiB, with the whole payload's size and SHA-256 to tell it by.
ALTER TABLE dead_letters
    ADD COLUMN payload_size      integer,
    ADD COLUMN payload_sha256    text,
    ADD COLUMN payload_truncated boolean;

UPDATE dead_letters
SET payload_size = length(payload),
    payload_sha256 = encode(sha256(payload), 'hex'),
    payload_truncated = false;

ALTER TABLE dead_letters
    ALTER COLUMN payload_size SET NOT NULL,
    ALTER COLUMN payload_sha256 SET NOT NULL,
    ALTER COLUMN payload_truncated SET NOT NULL;

COMMENT ON COLUMN dead_letters.payload IS 'the original bytes, or their first 64 KiB when payload_truncated';
COMMENT ON COLUMN dead_letters.payload_size IS 'bytes of the whole original payload';
COMMENT ON COLUMN dead_letters.payload_sha256 IS 'SHA-256 of the whole original payload, hex';

COMMENT ON COLUMN sensor_aggregates.duplicate_count IS
    'readings delivered again (same sensor, event time, seq and values) and counted once';
