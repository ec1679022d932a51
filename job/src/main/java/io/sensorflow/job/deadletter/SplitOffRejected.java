package io.sensorflow.job.deadletter;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.RejectReason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid readings on and sends each rejected one to the dead-letter output. */
public final class SplitOffRejected extends ProcessFunction<Reading, Reading> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final long windowSizeMs;
    private final int maxWholePayloadBytes;

    /** Rejections by reason, shown in the web UI as readingsRejected.reason.CODE. */
    private transient Counter[] rejected;
    private transient Counter truncated;
    private transient MessageDigest sha256;

    /** {@code maxWholePayloadBytes}: larger payloads are kept as their first {@link DeadLetter#PAYLOAD_PREFIX_BYTES}. */
    public SplitOffRejected(long windowSizeMs, int maxWholePayloadBytes) {
        this.windowSizeMs = windowSizeMs;
        this.maxWholePayloadBytes = maxWholePayloadBytes;
    }

    @Override
    public void open(OpenContext openContext) throws NoSuchAlgorithmException {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("readingsRejected");
        RejectReason[] reasons = RejectReason.values();
        rejected = new Counter[reasons.length];
        for (RejectReason reason : reasons) {
            rejected[reason.ordinal()] = group.addGroup("reason", reason.name()).counter("count");
        }
        truncated = getRuntimeContext().getMetricGroup().counter("deadLetterPayloadsTruncated");
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void processElement(Reading reading, Context ctx, Collector<Reading> out) {
        if (reading.isValid()) {
            out.collect(reading);
        } else {
            rejected[reading.rejectReason.ordinal()].inc();
            DeadLetter d = DeadLetter.of(reading, windowSizeMs, maxWholePayloadBytes, sha256);
            if (d.payloadTruncated()) {
                truncated.inc();
            }
            ctx.output(DEAD_LETTERS, d);
        }
    }
}
