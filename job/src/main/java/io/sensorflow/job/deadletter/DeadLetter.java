package io.sensorflow.job.deadletter;

import io.sensorflow.job.aggregate.Windows;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.RejectReason;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A rejected reading: the original bytes (whole, or their first {@link #PAYLOAD_PREFIX_BYTES}
 * when they would not fit in the dead-letter topic's records), the whole payload's size and
 * SHA-256, why it was rejected, and where it came from. Everything in it is bounded, whatever the
 * payload was, so no dead letter can be too large for a sink and fail the job.
 */
public class DeadLetter {

    /** What is kept of a payload too large to keep whole; also the most the dead_letters table keeps. */
    public static final int PAYLOAD_PREFIX_BYTES = 64 * 1024;
    /** A reason longer than this (a parser's message quoting the payload) is cut. */
    public static final int MAX_REASON_CHARS = 1_000;
    /**
     * The latest time stored as a time (9999-12-31T23:59:59.999Z): ISO-8601 and PostgreSQL take it.
     * A reading may state any time; one after this is stored as no time.
     */
    public static final long LATEST_STORED_TIME = 253_402_300_799_999L;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public String reasonCode;
    public String reason;
    /** Null when the payload had no readable sensor id. */
    public String sensorId;
    /** Epoch ms, or Long.MIN_VALUE when the payload had no readable time (or one outside 1970..9999). */
    public long eventTime;
    /** Kafka record timestamp, epoch ms, within 1970..9999. */
    public long receivedAt;
    /** The window the rejection is counted in: of its event time if usable, else of its Kafka time. */
    public long windowStart;
    public long windowEnd;
    /** The payload, or its first {@link #PAYLOAD_PREFIX_BYTES} bytes when {@link #payloadTruncated()}. */
    public byte[] payload;
    /** Bytes of the whole payload. */
    public int payloadSize;
    /** SHA-256 of the whole payload. */
    public byte[] payloadSha256;

    public DeadLetter() {}

    /**
     * The dead letter of a rejected reading. Its payload is kept whole up to
     * {@code maxWholePayloadBytes}, otherwise cut to its first {@link #PAYLOAD_PREFIX_BYTES}.
     */
    public static DeadLetter of(Reading r, long windowSizeMs, int maxWholePayloadBytes, MessageDigest sha256) {
        DeadLetter d = new DeadLetter();
        d.sourceTopic = r.sourceTopic;
        d.sourcePartition = r.sourcePartition;
        d.sourceOffset = r.sourceOffset;
        d.reasonCode = r.rejectReason.name();
        d.reason = printable(r.rejectDetail == null ? r.rejectReason.description() : r.rejectDetail);
        d.sensorId = r.sensorId;
        d.eventTime = r.hasEventTime() && storable(r.eventTime) ? r.eventTime : Long.MIN_VALUE;
        d.receivedAt = Math.max(0, Math.min(LATEST_STORED_TIME, r.receivedAt));
        // A time that could not be read, or lies in the future, says nothing of when it happened.
        boolean eventTimeUsable = d.eventTime != Long.MIN_VALUE && r.rejectReason != RejectReason.FUTURE_TIMESTAMP;
        long countedAt = eventTimeUsable ? d.eventTime : d.receivedAt;
        d.windowStart = Windows.start(countedAt, windowSizeMs);
        d.windowEnd = d.windowStart + windowSizeMs;
        byte[] payload = r.payload == null ? new byte[0] : r.payload;
        d.payloadSize = payload.length;
        d.payload = payload.length <= maxWholePayloadBytes ? payload : Arrays.copyOf(payload, PAYLOAD_PREFIX_BYTES);
        sha256.reset();
        d.payloadSha256 = sha256.digest(payload);
        return d;
    }

    public boolean hasEventTime() {
        return eventTime != Long.MIN_VALUE;
    }

    public boolean payloadTruncated() {
        return payload.length < payloadSize;
    }

    static boolean storable(long epochMs) {
        return epochMs >= 0 && epochMs <= LATEST_STORED_TIME;
    }

    /**
     * The reason as text every sink takes: at most {@link #MAX_REASON_CHARS} characters, and no NUL
     * (PostgreSQL's text refuses it) or unpaired surrogate (not encodable as UTF-8).
     */
    static String printable(String reason) {
        String s = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS - 1) + "…" : reason;
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean bad = c == 0 || (Character.isSurrogate(c) && !pair);
            if (bad && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(s.charAt(++i));
                }
            } else if (pair) {
                i++;
            }
        }
        return out == null ? s : out.toString();
    }

    @Override
    public String toString() {
        return "DeadLetter{" + sourceTopic + "-" + sourcePartition + "@" + sourceOffset + " " + reasonCode + ": " + reason
                + " (" + payloadSize + " bytes" + (payloadTruncated() ? ", truncated" : "") + ")}";
    }
}
