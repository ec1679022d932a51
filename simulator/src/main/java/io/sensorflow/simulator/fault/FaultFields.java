package io.sensorflow.simulator.fault;

import io.sensorflow.durations.Durations;
import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.Tenths;
import io.sensorflow.simulator.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one fault as text, read by name and type; every error names the origin and the
 * field. A field the kind does not have is an error at once.
 */
final class FaultFields {

    private final Map<String, String> values;
    private final String origin;
    private final Set<String> allowed;

    /** Fails at once on a field that a fault of {@code kind} does not have. */
    FaultFields(Map<String, String> values, String origin, FaultKind kind, List<String> allowed) {
        this.values = new LinkedHashMap<>(values);
        this.origin = origin;
        this.allowed = new LinkedHashSet<>(allowed);
        for (String name : values.keySet()) {
            if (!this.allowed.contains(name)) {
                throw error(name, "unknown field (a " + kind.id() + " fault has " + String.join(", ", allowed) + ")");
            }
        }
    }

    String origin() {
        return origin;
    }

    private String raw(String name) {
        if (!allowed.contains(name)) {
            throw new IllegalStateException("field " + name + " not declared");
        }
        String v = values.get(name);
        if (v != null && v.isBlank()) {
            throw error(name, "is empty");
        }
        return v == null ? null : v.trim();
    }

    SettingsException error(String field, String problem) {
        return FaultSpec.error(origin, field, problem);
    }

    String text(String name) {
        return raw(name);
    }

    int integer(String name, int defaultValue) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error(name, "'" + v + "' is not a whole number");
        }
    }

    Duration duration(String name, Duration defaultValue) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw error(name, e.getMessage());
        }
    }

    Duration requiredDuration(String name, String example) {
        Duration d = duration(name, null);
        if (d == null) {
            throw error(name, "is required, e.g. " + name + "=" + example);
        }
        return d;
    }

    int tenths(String name, String example) {
        String v = raw(name);
        if (v == null) {
            throw error(name, "is required, e.g. " + name + "=" + example);
        }
        try {
            return Tenths.parse(v);
        } catch (IllegalArgumentException e) {
            throw error(name, e.getMessage());
        }
    }

    Measurement metric() {
        String v = raw("metric");
        if (v == null) {
            throw error("metric", "is required: one of " + Measurement.names());
        }
        try {
            return Measurement.fromField(v);
        } catch (IllegalArgumentException e) {
            throw error("metric", e.getMessage());
        }
    }

    /** A reason code, or null for {@code any} or when absent. */
    ExpectedRejectReason reason() {
        String v = raw("reason");
        if (v == null || v.equalsIgnoreCase("any")) {
            return null;
        }
        try {
            return ExpectedRejectReason.valueOf(v.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw error("reason", "unknown reason '" + v + "' (expected any or one of "
                    + java.util.Arrays.toString(ExpectedRejectReason.values()) + ")");
        }
    }

    /** A hostile payload's shape, or null for {@code any} or when absent. */
    io.sensorflow.simulator.payload.HostilePayloads.Shape shape() {
        String v = raw("shape");
        if (v == null || v.equalsIgnoreCase("any")) {
            return null;
        }
        try {
            return io.sensorflow.simulator.payload.HostilePayloads.Shape.fromId(v.trim());
        } catch (IllegalArgumentException e) {
            throw error("shape", e.getMessage());
        }
    }

    SensorRef sensor() {
        String v = raw("sensor");
        if (v == null) {
            return SensorRef.random();
        }
        return v.equalsIgnoreCase("all") ? SensorRef.all() : SensorRef.of(v);
    }

    /** An instant (ISO-8601) or an offset from the start (a duration); null when absent. */
    TimeRef time(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        if (v.length() > 10 && Character.isDigit(v.charAt(0)) && v.charAt(4) == '-') {
            try {
                return TimeRef.at(Instant.parse(v));
            } catch (DateTimeParseException e) {
                throw error(name, "'" + v + "' is not an ISO-8601 instant (e.g. 2026-11-21T08:00:00Z)");
            }
        }
        try {
            Duration d = Durations.parse(v);
            if (d.isNegative()) {
                throw error(name, "an offset from the start must not be negative");
            }
            return TimeRef.afterStart(d);
        } catch (IllegalArgumentException e) {
            if (e instanceof SettingsException se) {
                throw se;
            }
            throw error(name, "'" + v + "' is neither an offset from the start (e.g. 10m) nor an instant");
        }
    }

    /** {@code count} or {@code probability}: exactly one. */
    Occurrence occurrence() {
        String c = raw("count");
        String p = raw("probability");
        if (c != null && p != null) {
            throw error("count", "give count or probability, not both");
        }
        if (c == null && p == null) {
            throw error("count", "give count=N or probability=P");
        }
        if (c != null) {
            long n;
            try {
                n = Long.parseLong(c);
            } catch (NumberFormatException e) {
                throw error("count", "'" + c + "' is not a whole number");
            }
            if (n < 1) {
                throw error("count", "must be at least 1, was " + n);
            }
            return Occurrence.count(n);
        }
        double d;
        try {
            d = Double.parseDouble(p);
        } catch (NumberFormatException e) {
            throw error("probability", "'" + p + "' is not a number");
        }
        if (!(d > 0 && d <= 1)) {
            throw error("probability", "must be in (0, 1], was " + p);
        }
        return Occurrence.probability(d);
    }
}
