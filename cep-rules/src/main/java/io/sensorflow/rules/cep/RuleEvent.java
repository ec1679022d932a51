package io.sensorflow.rules.cep;

/**
 * What a rule's CEP pattern sees: one reading that can still take part in a match, chosen by the
 * rule's {@link CandidateSelector}. A Flink POJO (public fields, no-arg constructor), so it has a
 * fast serializer in CEP's state.
 */
public class RuleEvent {

    /** A reading past the threshold of a sequence rule. */
    public static final byte EXTREME = 1;
    /**
     * A reading that does not meet its rule (within a sequence's threshold, no rise), one of the
     * first few after one that does: it ends a run in the firing pattern, and enough of them in a
     * row resolve an episode.
     */
    public static final byte NORMAL = 2;
    /** A reading that is at least {@code by} above the lowest reading within the rise rule's window. */
    public static final byte RISE = 3;
    /**
     * The first {@link #NORMAL} reading after one that meets the rule: where a resolution can start.
     * A sequence or rise rule's {@code BACK} and {@code NORMAL} carry their stretch (the readings in
     * a row that do not meet the rule): {@link #runLength} is the reading's place in it,
     * {@link #episodeStart} its first reading's time, {@link #metTime} and the fields after it the
     * reading that met the rule right before it.
     */
    public static final byte BACK = 4;
    /**
     * A reading of a stuck rule's metric with the value of the reading before it: {@link #fromTime}
     * and {@link #fromValue} are the first reading of the run ({@link #episodeStart} its time).
     */
    public static final byte REPEAT = 5;
    /**
     * A reading of an outlier rule's metric with the statistics of the window before it
     * ({@link #windowReadings}, {@link #windowMean}, {@link #windowSd}): an outlier, as
     * {@link OutlierCandidates} found it; the pattern checks it against the rule.
     */
    public static final byte OUTLIER = 6;

    /** {@link #fromTime} when there is no such reading. */
    public static final long NONE = Long.MIN_VALUE;

    public String sensorId;
    /** Event time of the reading, epoch milliseconds. */
    public long timestamp;
    public double value;
    public byte kind;
    /**
     * The start of the episode the event belongs to (first reading of a run, or of a rise); for
     * {@link #NORMAL}, which belongs to none, its own time.
     */
    public long episodeStart;
    /** Which of the episodes starting at {@link #episodeStart} it is, from 0 ({@link io.sensorflow.rules.alert.AlertIds}). */
    public int episodeOrdinal;
    /**
     * For a rise rule's events: the lowest of the sensor's readings less than {@code within}
     * before it, the reading a rise is measured from ({@link #NONE} when there is none); for a
     * stuck rule's {@link #REPEAT}: the first reading of the run; for its {@link #BACK}: the
     * reading before it.
     */
    public long fromTime;
    public double fromValue;
    /** For {@link #REPEAT}: its place in its run, the run's first reading being 1; for a stuck rule's {@link #BACK}: that of the reading before it. */
    public long runLength;
    /**
     * For a sequence or rise rule's {@link #BACK} or {@link #NORMAL}: the last reading before its
     * stretch that met the rule ({@link #NONE} when it is not known), and for a rise the reading
     * that one rose from ({@link #metFromTime}, {@link #metFromValue}).
     */
    public long metTime = NONE;
    public double metValue;
    public long metFromTime = NONE;
    public double metFromValue;
    /** For {@link #OUTLIER}: how many readings the window before it held, their mean and sample standard deviation. */
    public int windowReadings;
    public double windowMean;
    public double windowSd;
    /**
     * Whether the reading arrived late for rules and a rule with {@code late: evaluate} took it
     * (cep-rules/README, "Late readings"), and then by how much event time it was late: the time it
     * was judged against (its partition's watermark, or the job's when further) minus its own.
     * Only the event of the reading being evaluated carries it, not readings a selector sends with it.
     */
    public boolean late;
    public long detectionDelayMs;

    public RuleEvent() {}

    public static RuleEvent of(String sensorId, long timestamp, double value, byte kind, long episodeStart,
            int episodeOrdinal) {
        RuleEvent e = of(sensorId, timestamp, value, kind, episodeStart);
        e.episodeOrdinal = episodeOrdinal;
        return e;
    }

    public static RuleEvent of(String sensorId, long timestamp, double value, byte kind, long episodeStart) {
        RuleEvent e = new RuleEvent();
        e.sensorId = sensorId;
        e.timestamp = timestamp;
        e.value = value;
        e.kind = kind;
        e.episodeStart = episodeStart;
        return e;
    }

    @Override
    public String toString() {
        return "RuleEvent{" + sensorId + " @" + timestamp + " " + value + " kind=" + kind + " episode=" + episodeStart
                + (kind == RISE || kind == REPEAT ? " from=" + fromValue + "@" + fromTime : "")
                + (kind == REPEAT ? " #" + runLength : "")
                + ((kind == BACK || kind == NORMAL) && metTime != NONE ? " #" + runLength + " after " + metValue + "@" + metTime : "")
                + (kind == OUTLIER ? " window n=" + windowReadings + " mean=" + windowMean + " sd=" + windowSd : "")
                + (late ? " late by " + detectionDelayMs + "ms" : "") + "}";
    }
}
