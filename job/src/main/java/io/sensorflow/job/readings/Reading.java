package io.sensorflow.job.readings;

/**
 * One sensor reading as it leaves the Kafka source: either valid, or rejected with a reason.
 *
 * <p>A single mutable POJO keeps the per-event path to one allocation; absent measurements are
 * NaN (numbers), {@link #MOTION_ABSENT} (motion) and {@link #SEQ_ABSENT} (seq), not boxed nulls.
 */
public class Reading {

    public static final byte MOTION_ABSENT = -1;
    public static final long SEQ_ABSENT = -1L;

    public String sensorId;
    /** Event time, epoch milliseconds; Long.MIN_VALUE until a time has been read. */
    public long eventTime = Long.MIN_VALUE;
    public double temperature = Double.NaN;
    public double humidity = Double.NaN;
    public double distanceCm = Double.NaN;
    /** 1 = motion, 0 = none, {@link #MOTION_ABSENT} = not reported. */
    public byte motion = MOTION_ABSENT;
    public long seq = SEQ_ABSENT;

    /** Where the reading came from: the key of its dead-letter and late-reading rows. */
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** Kafka record timestamp, epoch milliseconds. */
    public long receivedAt;

    /** Null for a valid reading. */
    public RejectReason rejectReason;
    public String rejectDetail;
    /** The original bytes, kept only for rejected readings. */
    public byte[] payload;

    /** Set by the batching operator for the operators chained after it; never serialized. */
    public transient SensorSlot sensorSlot;
    /**
     * Set by the batching operator on a reading late for rules that it passes on to the alert rules
     * (only when a rule evaluates such readings): at or behind {@link #judgedBy} when it arrived.
     * Not serialized: the two operators are chained.
     */
    public transient boolean lateForRules;
    /** For a reading {@link #lateForRules}: the event time it was judged against (its partition's, or the watermark). */
    public transient long judgedBy;

    public Reading() {}

    public boolean isValid() {
        return rejectReason == null;
    }

    public boolean hasEventTime() {
        return eventTime != Long.MIN_VALUE;
    }

    /** Marks this reading rejected and returns it. */
    public Reading reject(RejectReason reason, String detail) {
        this.rejectReason = reason;
        this.rejectDetail = detail;
        return this;
    }

    /**
     * A 64-bit digest of what the reading says besides its sensor and time: seq and the four
     * measurements. Two readings of one sensor are the same reading (a duplicate) only when their
     * event time and this digest are equal; readings at the same time with other values are
     * different readings and both count. Absent values take part as absent, and -0.0 counts as 0.
     * Two different contents share a digest with a chance of about 2^-64 per pair.
     */
    public long contentHash() {
        long h = mix(seq ^ 0x5851F42D4C957F2DL);
        h = mix(h ^ bits(temperature));
        h = mix(h ^ Long.rotateLeft(bits(humidity), 17));
        h = mix(h ^ Long.rotateLeft(bits(distanceCm), 31));
        return mix(h ^ motion);
    }

    private static long bits(double v) {
        return v == 0.0 ? 0L : Double.doubleToRawLongBits(v); // NaN (absent) is always the same constant here
    }

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    @Override
    public String toString() {
        return isValid()
                ? "Reading{" + sensorId + " @" + eventTime + " t=" + temperature + " h=" + humidity
                        + " d=" + distanceCm + " m=" + motion + " seq=" + seq + "}"
                : "Reading{rejected " + rejectReason + ": " + rejectDetail + "}";
    }
}
