package io.sensorflow.simulator.output;

import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.MessageListener;

/**
 * Sends each simulated message once the wall clock has reached its event time: a scenario that
 * starts in the past is sent at once up to now (history), then in real time (live).
 */
public final class EventTimePacedSink implements MessageSink {

    private final MessageSink target;

    public EventTimePacedSink(MessageSink target) {
        this.target = target;
    }

    @Override
    public MessageListener asListener() {
        return (MessageFacts facts, byte[] key, byte[] payload, int length) -> {
            long wait = facts.eventTime() - System.currentTimeMillis();
            if (wait > 0) {
                if (wait > 2) {
                    target.flush(); // caught up: what is sent so far goes out now, not after the pause
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SimulatorStopped();
                }
            }
            target.send(facts.sensor(), key, payload, length);
        };
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        target.send(sensor, key, payload, length);
    }

    @Override
    public void flush() {
        target.flush();
    }

    @Override
    public void close() {
        target.close();
    }

    /** Unwinds the simulation when the pipeline shuts down. */
    public static final class SimulatorStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatorStopped() {
            super("simulator stopped", null, false, false);
        }
    }
}
