package io.sensorflow.simulator.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C (or SIGTERM) asks the run to stop, and the JVM waits up to 30 s for it to flush what it
 * has sent, so that an unbounded run ends cleanly.
 */
final class StopOnShutdown implements BooleanSupplier {

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "sensorflow-simulator-stop");

    StopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run has ended: the hook need not wait any more, nor be kept. */
    void done() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
