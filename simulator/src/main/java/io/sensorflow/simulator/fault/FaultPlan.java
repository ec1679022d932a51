package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.SensorIds;
import io.sensorflow.simulator.SettingsException;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.sensor.Prng;
import io.sensorflow.simulator.sensor.SensorClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The faults of a run resolved against its fleet and clock, all from the seeded PRNG: the silence
 * spans, each sensor's clock skew, the reading slots where counted faults start, and the odds of
 * the probability faults.
 *
 * <p>At most one event fault starts on a reading. Counted faults take distinct, non-silent slots,
 * each early enough to play out before the run ends ({@link EventFault#tailMs}); the other
 * readings draw once against the probabilities laid end to end.
 */
public final class FaultPlan {

    private final SilenceSchedule silence;
    private final SilenceSchedule batched;
    private final long[] skew;
    private final EventFault[] events;
    private final long[] plannedSlots;
    private final int[] plannedEvent;
    private final double[] cumulative;
    private final int[] probabilityEvent;
    private final Prng rng;
    private int next;

    private FaultPlan(SilenceSchedule silence, SilenceSchedule batched, long[] skew, EventFault[] events, long[] plannedSlots,
            int[] plannedEvent, double[] cumulative, int[] probabilityEvent, Prng rng) {
        this.silence = silence;
        this.batched = batched;
        this.skew = skew;
        this.events = events;
        this.plannedSlots = plannedSlots;
        this.plannedEvent = plannedEvent;
        this.cumulative = cumulative;
        this.probabilityEvent = probabilityEvent;
        this.rng = rng;
    }

    public static FaultPlan build(SimulatorSettings settings, SensorIds ids, SensorClock clock, Prng rng,
            FaultStats stats) {
        int sensors = ids.size();
        long startMs = settings.start().toEpochMilli();
        long estimatedEnd = settings.duration() != null ? settings.endMs()
                : settings.count() > 0 ? clock.timeOf(settings.count() - 1) + 1 : Long.MAX_VALUE;
        FaultContext context = new FaultContext(settings.format(), settings.interval().toMillis(), settings.oracle(),
                ids, settings.bounded());

        SilenceSchedule silence = new SilenceSchedule(sensors);
        SilenceSchedule batched = new SilenceSchedule(sensors);
        long[] skew = new long[sensors];
        List<EventFault> events = new ArrayList<>();
        for (FaultSpec f : settings.faults()) {
            if (f instanceof SilenceFault sf) {
                addSpans(silence, sf.sensor(), sf.at(), sf.length().toMillis(), sf.count(), startMs, estimatedEnd, ids, rng);
                stats.events(FaultKind.SILENCE, sf.count());
            } else if (f instanceof BatchedFault bf) {
                addSpans(batched, bf.sensor(), bf.at(), bf.length().toMillis(), bf.count(), startMs, estimatedEnd, ids, rng);
                stats.events(FaultKind.BATCHED, bf.count());
            } else if (f instanceof ClockSkewFault cf) {
                if (cf.sensor().wholeFleet()) {
                    Arrays.setAll(skew, s -> skew[s] + cf.offset().toMillis());
                    stats.event(FaultKind.CLOCK_SKEW);
                } else {
                    Set<Integer> picked = new HashSet<>();
                    while (picked.size() < cf.count()) {
                        int s = sensor(cf.sensor(), ids, rng);
                        if (picked.add(s)) {
                            skew[s] += cf.offset().toMillis();
                            stats.event(FaultKind.CLOCK_SKEW);
                        }
                    }
                }
            } else {
                events.add((EventFault) f);
            }
        }

        List<Integer> counted = new ArrayList<>();
        List<Integer> probable = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            (events.get(i).occurrence().isCount() ? counted : probable).add(i);
        }
        long[][] planned = counted.isEmpty() ? new long[2][0]
                : place(events, counted, settings, clock, silence, batched, context, rng);
        double[] cumulative = new double[probable.size()];
        int[] probabilityEvent = new int[probable.size()];
        double sum = 0;
        for (int i = 0; i < probable.size(); i++) {
            sum += events.get(probable.get(i)).occurrence().probability();
            cumulative[i] = sum;
            probabilityEvent[i] = probable.get(i);
        }
        int[] plannedEvent = Arrays.stream(planned[1]).mapToInt(v -> (int) v).toArray();
        return new FaultPlan(silence, batched, skew, events.toArray(new EventFault[0]), planned[0], plannedEvent, cumulative,
                probabilityEvent, rng);
    }

    /** Adds {@code count} spans of {@code length} ms at {@code at}, or at random times of the run. */
    private static void addSpans(SilenceSchedule into, SensorRef sensor, TimeRef at, long length, int count, long startMs,
            long estimatedEnd, SensorIds ids, Prng rng) {
        for (int i = 0; i < count; i++) {
            long from = at != null ? at.toEpochMs(startMs)
                    : startMs + rng.nextLong(Math.max(1, estimatedEnd - startMs - length));
            into.add(sensor(sensor, ids, rng), from, from + length);
        }
    }

    /** Picks the slots of the counted faults: returns {slots ascending, event index of each}. */
    private static long[][] place(List<EventFault> events, List<Integer> counted, SimulatorSettings settings,
            SensorClock clock, SilenceSchedule silence, SilenceSchedule batched, FaultContext context, Prng rng) {
        long totalSlots = totalSlots(settings, clock, silence);
        long lastTime = clock.timeOf(totalSlots - 1);
        Set<Long> taken = new HashSet<>();
        List<long[]> picks = new ArrayList<>();
        for (int e : counted) {
            EventFault f = events.get(e);
            long wanted = f.occurrence().count();
            long tail = f.tailMs(context);
            long eligible = Math.min(totalSlots, clock.firstSlotAtOrAfter(lastTime + 1 - tail));
            long attempts = 0;
            long maxAttempts = 100 * wanted + 10_000;
            for (long got = 0; got < wanted; ) {
                if (eligible <= 0 || ++attempts > maxAttempts) {
                    throw FaultSpec.error(f.origin(), "count", "the run is too short for " + wanted + " of these: "
                            + "they must start on distinct readings at least " + tail + " ms of event time before the"
                            + " end (" + Math.max(0, eligible) + " such readings); lower the count or lengthen the run");
                }
                long slot = rng.nextLong(eligible);
                // Not on a queued reading either: a counted fault there would change the burst.
                if (!silence.silenced(clock.sensorOf(slot), clock.timeOf(slot))
                        && !batched.silenced(clock.sensorOf(slot), clock.timeOf(slot)) && taken.add(slot)) {
                    picks.add(new long[] {slot, e});
                    got++;
                }
            }
        }
        picks.sort((a, b) -> Long.compare(a[0], b[0]));
        long[][] out = new long[2][picks.size()];
        for (int i = 0; i < picks.size(); i++) {
            out[0][i] = picks.get(i)[0];
            out[1][i] = picks.get(i)[1];
        }
        return out;
    }

    /** How many slots the run goes through, silent ones included. */
    private static long totalSlots(SimulatorSettings settings, SensorClock clock, SilenceSchedule silence) {
        if (settings.duration() != null) {
            return clock.firstSlotAtOrAfter(settings.endMs());
        }
        if (silence.isEmpty()) {
            return settings.count();
        }
        long slot = 0;
        for (long produced = 0; produced < settings.count(); slot++) {
            if (!silence.silenced(clock.sensorOf(slot), clock.timeOf(slot))) {
                produced++;
            }
            if (slot > 100 * settings.count() + 1_000_000_000L) {
                throw new SettingsException("--count", "the silences leave too few readings to reach the count");
            }
        }
        return slot;
    }

    private static int sensor(SensorRef ref, SensorIds ids, Prng rng) {
        if (ref.wholeFleet()) {
            return -1;
        }
        return ref.id() != null ? ids.find(ref.id()) : rng.nextInt(ids.size());
    }

    public SilenceSchedule silence() {
        return silence;
    }

    /** When each sensor is offline and queues its readings ({@link BatchedFault}). */
    public SilenceSchedule batched() {
        return batched;
    }

    /** The offset of a sensor's clock, in ms. */
    public long skew(int sensor) {
        return skew[sensor];
    }

    public boolean hasEvents() {
        return events.length > 0;
    }

    /**
     * The event fault that starts on the reading in {@code slot} (call once per produced reading,
     * slots ascending).
     *
     * @return its index for {@link #event}, or -1
     */
    public int decide(long slot) {
        while (next < plannedSlots.length && plannedSlots[next] < slot) {
            next++;
        }
        if (next < plannedSlots.length && plannedSlots[next] == slot) {
            return plannedEvent[next++];
        }
        if (cumulative.length == 0) {
            return -1;
        }
        double u = rng.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return probabilityEvent[i];
            }
        }
        return -1;
    }

    public EventFault event(int index) {
        return events[index];
    }
}
