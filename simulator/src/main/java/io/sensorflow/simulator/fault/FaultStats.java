package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.ExpectedRejectReason;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the faults actually did in a run, per kind: events (a silence span, a skewed sensor, a run
 * started, a reading held back or duplicated or broken) and readings affected (suppressed,
 * overridden, held, copied, rejected); and the malformed messages per reason.
 */
public final class FaultStats {

    private final long[] events = new long[FaultKind.values().length];
    private final long[] readings = new long[FaultKind.values().length];
    private final EnumMap<ExpectedRejectReason, Long> malformed = new EnumMap<>(ExpectedRejectReason.class);

    public void event(FaultKind kind) {
        events[kind.ordinal()]++;
    }

    public void events(FaultKind kind, long n) {
        events[kind.ordinal()] += n;
    }

    public void reading(FaultKind kind) {
        readings[kind.ordinal()]++;
    }

    public void malformed(ExpectedRejectReason reason) {
        malformed.merge(reason, 1L, Long::sum);
    }

    public long events(FaultKind kind) {
        return events[kind.ordinal()];
    }

    public long readings(FaultKind kind) {
        return readings[kind.ordinal()];
    }

    /** Malformed messages written, per reason. */
    public Map<ExpectedRejectReason, Long> malformedByReason() {
        return new EnumMap<>(malformed);
    }

    /** Kinds that did something, as {@code kind -> [events, readings]}. */
    public Map<FaultKind, long[]> summary() {
        Map<FaultKind, long[]> m = new LinkedHashMap<>();
        for (FaultKind k : FaultKind.values()) {
            if (events(k) > 0 || readings(k) > 0) {
                m.put(k, new long[] {events(k), readings(k)});
            }
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        summary().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k.id()).append(": ")
                .append(v[0]).append(" events, ").append(v[1]).append(" readings"));
        if (!malformed.isEmpty()) {
            sb.append(" (malformed ").append(malformed).append(')');
        }
        return sb.length() == 0 ? "no faults" : sb.toString();
    }
}
