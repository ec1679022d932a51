package io.sensorflow.rules.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of an alert episode: the same rule, sensor and episode start give the same id, so a
 * replay after a failure reproduces it, and the FIRING and RESOLVED of one silence share it.
 */
public final class AlertIds {

    private AlertIds() {}

    /** A name-based (version 3) UUID of {@code ruleId|sensorId|episodeStartMs}. */
    public static UUID of(String ruleId, String sensorId, long episodeStartMs) {
        return UUID.nameUUIDFromBytes((ruleId + '|' + sensorId + '|' + episodeStartMs).getBytes(StandardCharsets.UTF_8));
    }
}
