package io.sensorflow.rules.cep;

/**
 * What a silence rule's CEP pattern ({@link RulePatterns#silenceOverQuiet}) sees of a sensor: not
 * its readings, but what they and the watermark say about the time after its latest reading.
 * <ul>
 *   <li>{@link #QUIET}: nothing was heard from the sensor after its reading at {@link #last} up to
 *       {@link #quietTo} (inclusive), of which the events before this one had already said up to
 *       {@link #quietFrom} ({@link #last} when none had);
 *   <li>{@link #BACK}: the reading after the one at {@link #last} came at {@link #back}.
 * </ul>
 * The times are event times carried as fields: the event's own timestamp is when it was sent (the
 * watermark the selector was releasing), so that CEP never finds it behind its watermark, and the
 * pattern's time bound is a condition on these fields. A Flink POJO (public fields, no-arg
 * constructor).
 */
public class SilenceEvent {

    public static final byte QUIET = 1;
    public static final byte BACK = 2;

    public String sensorId;
    public byte kind;
    /** The sensor's reading the event is about: its latest ({@link #QUIET}), or the one before {@link #back}. */
    public long last;
    public long quietFrom;
    public long quietTo;
    public long back;
    /** Which silence rules apply to the sensor, by their place among the silence rules; null when all do. */
    public boolean[] rules;

    public SilenceEvent() {}

    public static SilenceEvent quiet(String sensorId, long last, long quietFrom, long quietTo, boolean[] rules) {
        SilenceEvent e = new SilenceEvent();
        e.sensorId = sensorId;
        e.kind = QUIET;
        e.last = last;
        e.quietFrom = quietFrom;
        e.quietTo = quietTo;
        e.rules = rules;
        return e;
    }

    public static SilenceEvent back(String sensorId, long last, long back, boolean[] rules) {
        SilenceEvent e = new SilenceEvent();
        e.sensorId = sensorId;
        e.kind = BACK;
        e.last = last;
        e.back = back;
        e.rules = rules;
        return e;
    }

    /** Whether the {@code index}-th silence rule applies to the event's sensor. */
    public boolean appliesTo(int index) {
        return rules == null || rules[index];
    }

    @Override
    public String toString() {
        return "SilenceEvent{" + sensorId + (kind == QUIET ? " quiet after " + last + " (" + quietFrom + ".." + quietTo + "]"
                : " back at " + back + " after " + last) + "}";
    }
}
