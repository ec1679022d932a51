package io.sensorflow.oracle;

/**
 * What the generator knows about one message it emits: which sensor sent it and either what the
 * reading says (as the job will read it from the payload) or why the job must reject it. This is
 * the classification the oracle works from, so nothing ever parses a payload back.
 *
 * <p>Mutable and reused by the generator: a listener that keeps facts must {@link #copy()} them.
 * Measurements are integer tenths; absent ones are {@link #ABSENT}.
 */
public final class MessageFacts {

    public static final int ABSENT = Integer.MIN_VALUE;
    public static final long NO_SEQ = -1L;
    public static final byte MOTION_ABSENT = -1;

    private int sensor;
    private ExpectedRejectReason reason;
    private long eventTime;
    private long seq = NO_SEQ;
    private int temperature = ABSENT;
    private int humidity = ABSENT;
    private int distance = ABSENT;
    private byte motion = MOTION_ABSENT;

    /** Zero-based sensor number (sensor {@code i} has the {@code i}-th id of {@link SensorIds}). */
    public int sensor() {
        return sensor;
    }

    public boolean isValid() {
        return reason == null;
    }

    /** The reason the job must report, or null for a valid reading. */
    public ExpectedRejectReason reason() {
        return reason;
    }

    /** Event time in epoch ms, exactly as the payload states it (whole seconds for second formats). */
    public long eventTime() {
        return eventTime;
    }

    /** The payload's seq, or {@link #NO_SEQ} when the payload has none. */
    public long seq() {
        return seq;
    }

    public boolean hasSeq() {
        return seq != NO_SEQ;
    }

    /** Tenths, or {@link #ABSENT}. */
    public int value(Measurement metric) {
        switch (metric) {
            case TEMPERATURE: return temperature;
            case HUMIDITY: return humidity;
            default: return distance;
        }
    }

    public boolean has(Measurement metric) {
        return value(metric) != ABSENT;
    }

    /** 1 motion, 0 none, {@link #MOTION_ABSENT} not reported. */
    public byte motion() {
        return motion;
    }

    /** Resets to a valid reading of {@code sensor} at {@code eventTime} with no measurement. */
    public MessageFacts reading(int sensor, long eventTime, long seq) {
        this.sensor = sensor;
        this.reason = null;
        this.eventTime = eventTime;
        this.seq = seq;
        this.temperature = ABSENT;
        this.humidity = ABSENT;
        this.distance = ABSENT;
        this.motion = MOTION_ABSENT;
        return this;
    }

    public MessageFacts value(Measurement metric, int tenths) {
        switch (metric) {
            case TEMPERATURE: temperature = tenths; break;
            case HUMIDITY: humidity = tenths; break;
            default: distance = tenths; break;
        }
        return this;
    }

    public MessageFacts motion(boolean detected) {
        this.motion = (byte) (detected ? 1 : 0);
        return this;
    }

    /** Marks the message rejected: the job sends it to the dead letters with this reason. */
    public MessageFacts reject(ExpectedRejectReason reason) {
        this.reason = reason;
        return this;
    }

    public MessageFacts copy() {
        MessageFacts c = new MessageFacts();
        c.copyFrom(this);
        return c;
    }

    public void copyFrom(MessageFacts o) {
        sensor = o.sensor;
        reason = o.reason;
        eventTime = o.eventTime;
        seq = o.seq;
        temperature = o.temperature;
        humidity = o.humidity;
        distance = o.distance;
        motion = o.motion;
    }

    @Override
    public String toString() {
        if (reason != null) {
            return "rejected(" + reason + ", sensor " + sensor + ")";
        }
        return "reading(sensor " + sensor + " @" + eventTime + " seq=" + seq + " t=" + temperature
                + " h=" + humidity + " d=" + distance + " m=" + motion + ")";
    }
}
