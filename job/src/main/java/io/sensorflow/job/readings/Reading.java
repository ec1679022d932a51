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
     * The identity that de-duplication compares: the sequence number when the sensor sends one,
     * otherwise the event time. The low bit keeps the two kinds apart.
     */
    public long identity() {
        return seq != SEQ_ABSENT ? (seq << 1) | 1L : eventTime << 1;
    }

    @Override
    public String toString() {
        return isValid()
                ? "Reading{" + sensorId + " @" + eventTime + " t=" + temperature + " h=" + humidity
                        + " d=" + distanceCm + " m=" + motion + " seq=" + seq + "}"
                : "Reading{rejected " + rejectReason + ": " + rejectDetail + "}";
    }
}
