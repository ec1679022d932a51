package io.sensorflow.job.deadletter;

import io.sensorflow.job.aggregate.Windows;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.RejectReason;

/** A rejected reading: the original bytes, why it was rejected, and where it came from. */
public class DeadLetter {

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public String reasonCode;
    public String reason;
    /** Null when the payload had no readable sensor id. */
    public String sensorId;
    /** Epoch ms, or Long.MIN_VALUE when the payload had no readable time. */
    public long eventTime;
    /** Kafka record timestamp, epoch ms. */
    public long receivedAt;
    /** The window the rejection is counted in: of its event time if usable, else of its Kafka time. */
    public long windowStart;
    public long windowEnd;
    public byte[] payload;

    public DeadLetter() {}

    public static DeadLetter of(Reading r, long windowSizeMs) {
        DeadLetter d = new DeadLetter();
        d.sourceTopic = r.sourceTopic;
        d.sourcePartition = r.sourcePartition;
        d.sourceOffset = r.sourceOffset;
        d.reasonCode = r.rejectReason.name();
        d.reason = r.rejectDetail;
        d.sensorId = r.sensorId;
        d.eventTime = r.hasEventTime() ? r.eventTime : Long.MIN_VALUE;
        d.receivedAt = r.receivedAt;
        // A time that could not be read, or lies in the future, says nothing of when it happened.
        boolean eventTimeUsable = d.eventTime != Long.MIN_VALUE && r.rejectReason != RejectReason.FUTURE_TIMESTAMP;
        long countedAt = eventTimeUsable ? d.eventTime : r.receivedAt;
        d.windowStart = Windows.start(countedAt, windowSizeMs);
        d.windowEnd = d.windowStart + windowSizeMs;
        d.payload = r.payload;
        return d;
    }

    public boolean hasEventTime() {
        return eventTime != Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + sourceTopic + "-" + sourcePartition + "@" + sourceOffset + " " + reasonCode + ": " + reason + "}";
    }
}
