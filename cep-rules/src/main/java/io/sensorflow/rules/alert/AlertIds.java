package io.sensorflow.rules.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of an alert episode: the same rule, sensor and episode start give the same id, so a
 * replay after a failure reproduces it, and the FIRING and RESOLVED of one silence share it.
 * Episodes of one rule and sensor that start at the same event time (readings stamped in whole
 * seconds, several a second) are told apart by their ordinal among those, in the order the
 * readings came: the first is 0.
 */
public final class AlertIds {

    private AlertIds() {}

    /** A name-based (version 3) UUID of {@code ruleId|sensorId|episodeStartMs}. */
    public static UUID of(String ruleId, String sensorId, long episodeStartMs) {
        return of(ruleId, sensorId, episodeStartMs, 0);
    }

    /** A name-based (version 3) UUID of {@code ruleId|sensorId|episodeStartMs}, then {@code |ordinal} unless it is 0. */
    public static UUID of(String ruleId, String sensorId, long episodeStartMs, int ordinal) {
        String name = ruleId + '|' + sensorId + '|' + episodeStartMs + (ordinal == 0 ? "" : "|" + ordinal);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
