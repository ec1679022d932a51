package io.sensorflow.benchmark;

import io.sensorflow.oracle.MessageListener;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.output.EventTimePacedSink;
import io.sensorflow.simulator.output.KafkaMessageSink;
import io.sensorflow.simulator.output.MessageSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulator on a thread of its own, sending in event time: what lies in the past at once (the
 * history), then each reading when the wall clock reaches it (live), until {@link #stop}. Counts
 * what it sent, so the benchmark can tell the job's lag, and notes when the history was all sent.
 */
final class LiveFeed implements MessageSink {

    private final KafkaMessageSink kafka;
    private final AtomicLong sent = new AtomicLong();
    private final CountDownLatch historySent = new CountDownLatch(1);
    private volatile long history = -1;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<RunResult> result = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile long historyNanos;

    LiveFeed(SimulatorSettings settings) {
        kafka = new KafkaMessageSink(settings.bootstrapServers(), settings.topic(), Map.of());
        thread = new Thread(() -> {
            try (EventTimePacedSink paced = new EventTimePacedSink(this)) {
                result.set(Simulator.send(settings, marking(paced), true, null, stop::get));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                if (history < 0) { // all of it was history
                    history = sent.get();
                    historyNanos = System.nanoTime();
                }
                historySent.countDown();
            }
        }, "simulator");
        thread.start();
    }

    /** Waits until the history is in Kafka; returns how many messages it was. */
    long awaitHistory(Duration timeout) throws InterruptedException {
        if (!historySent.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
            throw new IllegalStateException("the simulator did not send the history", failure.get());
        }
        return history;
    }

    /** How long sending the history took. */
    Duration historyTook() {
        return Duration.ofNanos(historyNanos - startNanos);
    }

    /** How long it has been sending live. */
    Duration sinceHistory() {
        return Duration.ofNanos(System.nanoTime() - historyNanos);
    }

    long sent() {
        return sent.get();
    }

    /** Stops sending (after flushing what was sent); returns the run, with its expected outcome. */
    RunResult stop() throws InterruptedException {
        stop.set(true);
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the simulator failed", failure.get());
        }
        return result.get();
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        kafka.send(sensor, key, payload, length);
        sent.incrementAndGet();
    }

    /** {@code paced}, noting the first reading that is not due yet: everything before it is the history. */
    private MessageSink marking(EventTimePacedSink paced) {
        MessageListener inner = paced.asListener();
        return new MessageSink() {
            @Override
            public MessageListener asListener() {
                return (facts, key, payload, length) -> {
                    if (history < 0 && facts.eventTime() > System.currentTimeMillis()) {
                        kafka.flush();
                        history = sent.get();
                        historyNanos = System.nanoTime();
                        historySent.countDown();
                    }
                    inner.onMessage(facts, key, payload, length);
                };
            }

            @Override
            public void send(int sensor, byte[] key, byte[] payload, int length) {
                paced.send(sensor, key, payload, length);
            }

            @Override
            public void flush() {
                paced.flush();
            }

            @Override
            public void close() {
                paced.close();
            }
        };
    }

    @Override
    public void flush() {
        kafka.flush();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
