package io.sensorflow.simulator.fault;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of fault, by the name used for options ({@code --spike}) and in scenario files ({@code kind: spike}). */
public enum FaultKind {
    SILENCE("silence"),
    BATCHED("batched"),
    CLOCK_SKEW("clock-skew"),
    SPIKE("spike"),
    RISE("rise"),
    STUCK("stuck"),
    OUT_OF_ORDER("out-of-order"),
    LATE("late"),
    DUPLICATE("duplicate"),
    MALFORMED("malformed"),
    ECHO("echo"),
    BURST("burst"),
    HOSTILE("hostile");

    private final String id;

    FaultKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static FaultKind fromId(String id) {
        for (FaultKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + id + "' (expected one of " + ids() + ")");
    }

    public static String ids() {
        return Arrays.stream(values()).map(FaultKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
