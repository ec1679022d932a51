package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.MessageFacts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The spike, rise and stuck runs in progress: at most one per sensor; a run that starts while its
 * sensor has one waits for it to end. A run overrides its metric on the sensor's next readings
 * that carry the metric and stay valid, until it has overridden {@code readings} of them.
 */
public final class ValueRuns {

    private final ValueRunFault[] fault;
    private final int[] done;
    private final int[] firstValue;
    private final List<ArrayDeque<ValueRunFault>> waiting;
    private final FaultStats stats;
    private int active;

    public ValueRuns(int sensors, FaultStats stats) {
        fault = new ValueRunFault[sensors];
        done = new int[sensors];
        firstValue = new int[sensors];
        waiting = new ArrayList<>(Collections.nCopies(sensors, (ArrayDeque<ValueRunFault>) null));
        this.stats = stats;
    }

    public void start(int sensor, ValueRunFault f) {
        stats.event(f.kind());
        if (fault[sensor] == null) {
            fault[sensor] = f;
            done[sensor] = 0;
            active++;
        } else {
            if (waiting.get(sensor) == null) {
                waiting.set(sensor, new ArrayDeque<>());
            }
            waiting.get(sensor).add(f);
        }
    }

    /** Overrides the metric of a valid reading if its sensor has a run going. */
    public void apply(MessageFacts reading) {
        if (active == 0) {
            return;
        }
        int s = reading.sensor();
        ValueRunFault f = fault[s];
        if (f == null || !reading.has(f.metric())) {
            return;
        }
        int i = done[s]++;
        if (i == 0) {
            firstValue[s] = reading.value(f.metric());
        }
        reading.value(f.metric(), f.valueAt(i, firstValue[s]));
        stats.reading(f.kind());
        if (done[s] == f.readings()) {
            ValueRunFault next = waiting.get(s) == null ? null : waiting.get(s).poll();
            fault[s] = next;
            done[s] = 0;
            if (next == null) {
                active--;
            }
        }
    }
}
