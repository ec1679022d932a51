package io.sensorflow.oracle;

import io.sensorflow.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Works out what the job must output, from the classified messages in emission order, taken as
 * one stream, the way the job processes them:
 * <ol>
 *   <li>a rejected message becomes a dead letter (key, exact payload, reason);
 *   <li>a valid reading with event time ts falls in the window [ts - floorMod(ts, size), + size); it
 *       is too late iff windowEnd - 1 + allowedLateness &lt;= W, with W the watermark before this
 *       reading; too-late readings are listed and change nothing else;
 *   <li>every other valid reading moves the watermark: maxTs = max(maxTs, ts),
 *       W = floorDiv(maxTs - outOfOrderness, granularity) * granularity - 1 (W starts at Long.MIN_VALUE);
 *   <li>it is a duplicate iff its (sensor, window) already accepted a reading with the same event
 *       time, seq (or none) and values: counted, not aggregated. Readings at the same time with
 *       other values are different readings;
 *   <li>otherwise it is accepted into its (sensor, window) aggregate; if its event time is at or
 *       behind W (the watermark before it), it is counted there as late for rules: no rule sees it.
 * </ol>
 * A window is complete once W has passed windowEnd - 1 + allowedLateness: its duplicate memory is
 * then dropped, which keeps long runs in bounded memory.
 *
 * <p>Given a rule set, it also works out the alerts (see {@link AlertOracle}): from the valid
 * readings that are not too late, and only those after W (the watermark before them).
 */
public final class OutcomeOracle implements MessageListener {

    private final OracleParameters p;
    private final SensorIds ids;
    private final AlertOracle alerts;
    private final TreeMap<Long, WindowState[]> open = new TreeMap<>();
    private final List<WindowAggregate> complete = new ArrayList<>();
    private final List<ExpectedDeadLetter> deadLetters = new ArrayList<>();
    private final List<ExpectedLateReading> late = new ArrayList<>();
    private long lastWindowStart = Long.MIN_VALUE;
    private WindowState[] lastWindow;
    private long maxTs = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long messages;
    private long valid;
    private long accepted;
    private long duplicates;
    private java.util.function.Consumer<AcceptedReading> acceptedReadings;

    public OutcomeOracle(OracleParameters parameters, SensorIds ids) {
        this(parameters, ids, null);
    }

    /** An oracle that also works out the alerts of {@code rules} (none when null or empty). */
    public OutcomeOracle(OracleParameters parameters, SensorIds ids, RuleSet rules) {
        this.p = parameters;
        this.ids = ids;
        this.alerts = rules == null || rules.rules().isEmpty() ? null : new AlertOracle(rules, ids);
    }

    @Override
    public void onMessage(MessageFacts facts, byte[] key, byte[] payload, int length) {
        messages++;
        if (!facts.isValid()) {
            deadLetters.add(ExpectedDeadLetter.of(new String(key, StandardCharsets.UTF_8), payload, length, facts.reason()));
            return;
        }
        valid++;
        long ts = facts.eventTime();
        long windowStart = p.windowStart(ts);
        long windowEnd = windowStart + p.windowSizeMs();
        if (closed(windowEnd)) {
            late.add(new ExpectedLateReading(ids.id(facts.sensor()), ts, windowStart, windowEnd,
                    facts.hasSeq() ? facts.seq() : null, new String(payload, 0, length, StandardCharsets.UTF_8)));
            return;
        }
        if (alerts != null) {
            alerts.reading(facts, watermark);
        }
        boolean lateForRules = ts <= watermark;
        boolean moved = false;
        if (ts > maxTs) {
            maxTs = ts;
            long w = Math.floorDiv(maxTs - p.outOfOrdernessMs(), p.watermarkGranularityMs())
                    * p.watermarkGranularityMs() - 1;
            moved = w != watermark;
            watermark = w;
        }
        WindowState[] window = window(windowStart);
        WindowState state = window[facts.sensor()];
        if (state == null) {
            state = window[facts.sensor()] = new WindowState(facts.sensor(), windowStart);
        }
        if (state.add(facts, lateForRules)) {
            accepted++;
            if (acceptedReadings != null) {
                acceptedReadings.accept(AcceptedReading.of(ids.id(facts.sensor()), facts));
            }
        } else {
            duplicates++;
        }
        if (moved) {
            completeClosedWindows();
            if (alerts != null) {
                alerts.watermark(watermark);
            }
        }
    }

    private WindowState[] window(long windowStart) {
        if (windowStart != lastWindowStart) {
            lastWindow = open.computeIfAbsent(windowStart, w -> new WindowState[ids.size()]);
            lastWindowStart = windowStart;
        }
        return lastWindow;
    }

    /**
     * Hands every reading the job will count to {@code to}, as it is judged. Not part of the
     * outcome: a long run's readings would not fit in memory.
     */
    public void onAccepted(java.util.function.Consumer<AcceptedReading> to) {
        this.acceptedReadings = to;
    }

    /** The current watermark (Long.MIN_VALUE before the first reading). */
    public long watermark() {
        return watermark;
    }

    private boolean closed(long windowEnd) {
        return windowEnd - 1 + p.allowedLatenessMs() <= watermark;
    }

    private void completeClosedWindows() {
        while (!open.isEmpty() && closed(open.firstKey() + p.windowSizeMs())) {
            Map.Entry<Long, WindowState[]> w = open.pollFirstEntry();
            if (w.getKey() == lastWindowStart) {
                lastWindowStart = Long.MIN_VALUE;
                lastWindow = null;
            }
            complete(w);
        }
    }

    private void complete(Map.Entry<Long, WindowState[]> window) {
        for (WindowState s : window.getValue()) {
            if (s != null) {
                complete.add(s.toAggregate(ids.id(s.sensor), p.windowSizeMs()));
            }
        }
    }

    /**
     * The outcome of everything seen so far (at the end of the stream, the expected outcome); the
     * silence after each sensor's last reading fires if the final watermark has reached it.
     */
    public ExpectedOutcome outcome() {
        return outcome(watermark);
    }

    /**
     * As {@link #outcome()}, for a job whose event time has reached {@code eventTimeReached}
     * (e.g. later than the final watermark, once its idle sources advanced it): that decides
     * whether the silence after each sensor's last reading has fired. Only alerts depend on it.
     */
    public ExpectedOutcome outcome(long eventTimeReached) {
        List<WindowAggregate> all = new ArrayList<>(complete);
        for (Map.Entry<Long, WindowState[]> w : open.entrySet()) {
            for (WindowState s : w.getValue()) {
                if (s != null) {
                    all.add(s.toAggregate(ids.id(s.sensor), p.windowSizeMs()));
                }
            }
        }
        all.sort(Comparator.comparing(WindowAggregate::sensorId).thenComparingLong(WindowAggregate::windowStart));
        Totals totals = new Totals(messages, valid, accepted, duplicates, late.size(), deadLetters.size());
        return new ExpectedOutcome(p, totals, all, deadLetters, late,
                alerts == null ? List.of() : alerts.alerts(eventTimeReached));
    }
}
