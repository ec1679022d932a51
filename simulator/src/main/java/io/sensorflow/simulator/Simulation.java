package io.sensorflow.simulator;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.MessageListener;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.simulator.fault.BatchedFault;
import io.sensorflow.simulator.fault.BurstFault;
import io.sensorflow.simulator.fault.DuplicateFault;
import io.sensorflow.simulator.fault.EchoFault;
import io.sensorflow.simulator.fault.EventFault;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultPlan;
import io.sensorflow.simulator.fault.FaultStats;
import io.sensorflow.simulator.fault.HeldMessages;
import io.sensorflow.simulator.fault.HostileFault;
import io.sensorflow.simulator.fault.LateFault;
import io.sensorflow.simulator.fault.MalformedFault;
import io.sensorflow.simulator.fault.OutOfOrderFault;
import io.sensorflow.simulator.fault.ValueRunFault;
import io.sensorflow.simulator.fault.ValueRuns;
import io.sensorflow.simulator.payload.ByteBuf;
import io.sensorflow.simulator.payload.HostilePayloads;
import io.sensorflow.simulator.payload.MalformedPayloads;
import io.sensorflow.simulator.payload.PayloadEncoder;
import io.sensorflow.simulator.sensor.Dht11;
import io.sensorflow.simulator.sensor.PresenceSensors;
import io.sensorflow.simulator.sensor.Prng;
import io.sensorflow.simulator.sensor.SensorClock;

/**
 * The message stream of one scenario, produced step by step, the same bytes for the same
 * settings. Each {@link #step} takes the next reading slot: it first emits the held messages that
 * are due, then (unless the sensor is silent) takes the sensor's reading, applies the fault that
 * starts on it, writes the payload and emits it or holds it back. After the last slot the held
 * messages are emitted in release order.
 *
 * <p>Not thread-safe; one thread drives a simulation.
 */
public final class Simulation {

    private static final long VALUES = 1, FAULTS = 2, PHASES = 3, PLAN = 4, UNIFORM_VALUES = 5;
    private static final ExpectedRejectReason[] REASONS = ExpectedRejectReason.values();
    private static final HostilePayloads.Shape[] SHAPES = HostilePayloads.Shape.values();

    private final SimulatorSettings settings;
    private final SensorIds ids;
    private final SensorClock clock;
    private final Dht11 dht;
    private final PresenceSensors presence;
    /** For {@link ValueModel#UNIFORM}: each reading's values drawn afresh; null for DHT11. */
    private final Prng uniform;
    /** For {@link ValueModel#STORM}. */
    private final boolean storm;
    private final PayloadEncoder encoder;
    private final MalformedPayloads malformed;
    private final HostilePayloads hostile;
    private final FaultPlan plan;
    private final ValueRuns runs;
    private final HeldMessages held = new HeldMessages();
    private final FaultStats stats = new FaultStats();
    private final Prng faultRng;
    private final PayloadFormat format;
    private final boolean full;
    private final long countLimit;
    private final long endMs;
    private final long[] seq;
    private final ByteBuf buf = new ByteBuf(256);
    private final MessageFacts facts = new MessageFacts();

    private long slot;
    private long readings;
    private long messages;
    private boolean finished;

    public Simulation(SimulatorSettings settings) {
        this.settings = settings;
        this.ids = settings.sensorIds();
        this.format = settings.format();
        this.full = format.carriesSeqDistanceAndMotion();
        int n = settings.sensors();
        long seed = settings.seed();
        this.clock = new SensorClock(settings.start().toEpochMilli(), settings.interval().toMillis(), n,
                Prng.stream(seed, PHASES));
        Prng values = Prng.stream(seed, VALUES);
        this.dht = new Dht11(n, values);
        this.presence = new PresenceSensors(n, values);
        this.uniform = settings.values() == ValueModel.UNIFORM ? Prng.stream(seed, UNIFORM_VALUES) : null;
        this.storm = settings.values() == ValueModel.STORM;
        this.encoder = format.encoder(ids);
        this.malformed = new MalformedPayloads(encoder);
        this.hostile = new HostilePayloads(encoder);
        this.faultRng = Prng.stream(seed, FAULTS);
        this.plan = FaultPlan.build(settings, ids, clock, Prng.stream(seed, PLAN), stats);
        this.runs = new ValueRuns(n, stats);
        this.countLimit = settings.countLimit();
        this.endMs = settings.endMs();
        this.seq = new long[n];
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public SensorIds sensorIds() {
        return ids;
    }

    /** Readings taken so far (each emitted once, however late; duplicate copies not counted). */
    public long readings() {
        return readings;
    }

    /** Messages emitted so far, duplicate copies included. */
    public long messages() {
        return messages;
    }

    public FaultStats faultStats() {
        return stats;
    }

    public boolean finished() {
        return finished;
    }

    /** Runs the whole scenario into {@code out}, then calls {@link MessageListener#onEnd()}. */
    public void run(MessageListener out) {
        while (step(out) >= 0) {
            // all work is in step
        }
    }

    /**
     * Takes the next slot.
     *
     * @return the number of messages emitted (0 or more), or -1 once the scenario has ended
     *     ({@code out.onEnd()} has then been called)
     */
    public int step(MessageListener out) {
        if (finished) {
            return -1;
        }
        long baseTime = clock.timeOf(slot);
        if (readings >= countLimit || baseTime >= endMs) {
            int n = held.releaseAll(out);
            messages += n;
            finished = true;
            out.onEnd();
            return n;
        }
        int emitted = held.releaseUpTo(baseTime, out);
        int sensor = clock.sensorOf(slot);
        if (plan.silence().silenced(sensor, baseTime)) {
            stats.reading(FaultKind.SILENCE);
        } else {
            emitted += read(sensor, baseTime, out);
        }
        slot++;
        messages += emitted;
        return emitted;
    }

    private int read(int sensor, long baseTime, MessageListener out) {
        readings++;
        int which = plan.hasEvents() ? plan.decide(slot) : -1;
        EventFault fault = which < 0 ? null : plan.event(which);
        long skew = plan.skew(sensor);
        if (skew != 0) {
            stats.reading(FaultKind.CLOCK_SKEW);
        }
        long s = seq[sensor]++;
        facts.reading(sensor, format.eventTime(baseTime + skew), full ? s : MessageFacts.NO_SEQ);
        if (uniform != null) {
            facts.value(Measurement.TEMPERATURE, 200 + uniform.nextInt(601));
            facts.value(Measurement.HUMIDITY, 300 + uniform.nextInt(601));
        } else if (storm) {
            boolean hot = (s + sensor * 37L) % ValueModel.STORM_CYCLE < ValueModel.STORM_RUN;
            facts.value(Measurement.TEMPERATURE, hot ? 750 : 200);
            facts.value(Measurement.HUMIDITY, 500);
        } else if (dht.read(sensor, baseTime)) {
            facts.value(Measurement.TEMPERATURE, dht.temperatureTenths(sensor));
            facts.value(Measurement.HUMIDITY, dht.humidityTenths(sensor));
        }
        if (full) {
            presence.read(sensor);
            facts.value(Measurement.DISTANCE_CM, presence.distanceTenths());
            facts.motion(presence.motion());
        }
        buf.clear();
        if (fault instanceof MalformedFault mf) {
            ExpectedRejectReason reason = mf.reason() != null ? mf.reason() : REASONS[faultRng.nextInt(REASONS.length)];
            malformed.write(reason, facts, faultRng, buf);
            facts.reject(reason);
            stats.event(FaultKind.MALFORMED);
            stats.reading(FaultKind.MALFORMED);
            stats.malformed(reason);
        } else if (fault instanceof HostileFault hf) {
            HostilePayloads.Shape shape = hf.shape() != null ? hf.shape() : SHAPES[faultRng.nextInt(SHAPES.length)];
            ExpectedRejectReason reason = hostile.write(shape, hf.size(), facts, faultRng, buf);
            if (reason != null) {
                facts.reject(reason);
                stats.malformed(reason);
            }
            stats.event(FaultKind.HOSTILE);
            stats.reading(FaultKind.HOSTILE);
        } else if (fault instanceof EchoFault) {
            facts.value(Measurement.DISTANCE_CM, 4001 + faultRng.nextInt(8000));
            encoder.encode(facts, buf);
            facts.reject(ExpectedRejectReason.OUT_OF_RANGE);
            stats.event(FaultKind.ECHO);
            stats.reading(FaultKind.ECHO);
        } else {
            if (fault instanceof ValueRunFault vf) {
                runs.start(sensor, vf);
            }
            runs.apply(facts);
            encoder.encode(facts, buf);
        }
        byte[] key = ids.key(sensor);
        long offlineUntil = plan.batched().endOf(sensor, baseTime);
        if (offlineUntil >= 0 && !(fault instanceof OutOfOrderFault) && !(fault instanceof LateFault)) {
            // Queued as the firmware queues while offline, sent oldest first when it is back (a
            // duplicate copy or a burst a fault would add is left out: no counted fault lands here).
            held.hold(BatchedFault.releaseAt(offlineUntil, settings.oracle()), facts, key, buf.array(), buf.length());
            stats.reading(FaultKind.BATCHED); // its event is the outage, counted by the plan
            return 0;
        }
        if (fault instanceof OutOfOrderFault of) {
            long max = of.maxDelay().toMillis();
            long min = (max + 1) / 2;
            hold(FaultKind.OUT_OF_ORDER, baseTime + min + faultRng.nextLong(max - min + 1), key);
            return 0;
        }
        if (fault instanceof LateFault lf) {
            hold(FaultKind.LATE, baseTime + lf.effectiveHold(settings.oracle()).toMillis(), key);
            return 0;
        }
        out.onMessage(facts, key, buf.array(), buf.length());
        if (fault instanceof DuplicateFault df) {
            hold(FaultKind.DUPLICATE, baseTime + faultRng.nextLong(df.maxDelay().toMillis() + 1), key);
        }
        if (fault instanceof BurstFault bf && facts.isValid()) {
            return 1 + burst(sensor, bf.readings(), key, out);
        }
        return 1;
    }

    /** {@code n} more readings of {@code sensor} at the time just stated, each with other values. */
    private int burst(int sensor, int n, byte[] key, MessageListener out) {
        long eventTime = facts.eventTime();
        stats.event(FaultKind.BURST);
        for (int i = 0; i < n; i++) {
            facts.reading(sensor, eventTime, full ? seq[sensor]++ : MessageFacts.NO_SEQ);
            facts.value(Measurement.TEMPERATURE, 200 + faultRng.nextInt(601));
            facts.value(Measurement.HUMIDITY, 300 + faultRng.nextInt(601));
            buf.clear();
            encoder.encode(facts, buf);
            out.onMessage(facts, key, buf.array(), buf.length());
            stats.reading(FaultKind.BURST);
        }
        return n;
    }

    private void hold(FaultKind kind, long releaseAt, byte[] key) {
        held.hold(releaseAt, facts, key, buf.array(), buf.length());
        stats.event(kind);
        stats.reading(kind);
    }
}
