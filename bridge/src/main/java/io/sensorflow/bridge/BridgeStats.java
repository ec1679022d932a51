package io.sensorflow.bridge;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of a running bridge, safe to read from any thread. */
public final class BridgeStats {

    final AtomicLong received = new AtomicLong();
    final AtomicLong redelivered = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unroutable = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();

    /** MQTT messages received (redeliveries included). */
    public long received() { return received.get(); }

    /** Of those, redeliveries: the broker had sent them before (the MQTT DUP flag). */
    public long redelivered() { return redelivered.get(); }

    /** Records Kafka has confirmed. */
    public long forwarded() { return forwarded.get(); }

    /** PUBACKs handed to the MQTT client (each after Kafka confirmed its record and every earlier one). */
    public long acknowledged() { return acknowledged.get(); }

    /** Records Kafka refused (each stops the bridge; none is acknowledged). */
    public long failed() { return failed.get(); }

    /** Messages on a topic matching neither filter (left over from an earlier configuration): dropped. */
    public long unroutable() { return unroutable.get(); }

    /** Successful MQTT connections (and subscriptions) so far. */
    public long connections() { return connections.get(); }

    /** Records sent to Kafka and not confirmed (or refused) yet. */
    public long inFlight() { return inFlight.get(); }

    @Override
    public String toString() {
        return "received " + received() + " (" + redelivered() + " redelivered), forwarded " + forwarded()
                + ", acknowledged " + acknowledged() + ", in flight " + inFlight() + ", failed " + failed()
                + (unroutable() > 0 ? ", unroutable " + unroutable() : "");
    }
}
