package io.sensorflow.job.late;

import io.sensorflow.job.readings.Reading;

/** A valid reading that arrived after its window's allowed lateness: kept, not aggregated. */
public class LateReading {

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public String sensorId;
    public long eventTime;
    public long windowStart;
    public long windowEnd;
    /** The watermark that made it late. */
    public long watermark;
    public double temperature;
    public double humidity;
    public double distanceCm;
    public byte motion;
    public long seq;

    public LateReading() {}

    public static LateReading of(Reading r, long windowStart, long windowSizeMs, long watermark) {
        LateReading l = new LateReading();
        l.sourceTopic = r.sourceTopic;
        l.sourcePartition = r.sourcePartition;
        l.sourceOffset = r.sourceOffset;
        l.sensorId = r.sensorId;
        l.eventTime = r.eventTime;
        l.windowStart = windowStart;
        l.windowEnd = windowStart + windowSizeMs;
        l.watermark = watermark;
        l.temperature = r.temperature;
        l.humidity = r.humidity;
        l.distanceCm = r.distanceCm;
        l.motion = r.motion;
        l.seq = r.seq;
        return l;
    }

    @Override
    public String toString() {
        return "LateReading{" + sensorId + " @" + eventTime + " window=" + windowStart + " watermark=" + watermark + "}";
    }
}
