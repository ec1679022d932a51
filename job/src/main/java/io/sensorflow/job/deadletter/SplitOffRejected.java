package io.sensorflow.job.deadletter;

import io.sensorflow.job.readings.Reading;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid readings on and sends each rejected one to the dead-letter output. */
public final class SplitOffRejected extends ProcessFunction<Reading, Reading> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final long windowSizeMs;

    public SplitOffRejected(long windowSizeMs) {
        this.windowSizeMs = windowSizeMs;
    }

    @Override
    public void processElement(Reading reading, Context ctx, Collector<Reading> out) {
        if (reading.isValid()) {
            out.collect(reading);
        } else {
            ctx.output(DEAD_LETTERS, DeadLetter.of(reading, windowSizeMs));
        }
    }
}
