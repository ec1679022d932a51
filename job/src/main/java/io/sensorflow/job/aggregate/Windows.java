package io.sensorflow.job.aggregate;

/** Tumbling, epoch-aligned event-time windows: [start, start + size). */
public final class Windows {

    private Windows() {}

    public static long start(long eventTime, long sizeMs) {
        return eventTime - Math.floorMod(eventTime, sizeMs);
    }

    /** The last millisecond inside the window: the watermark at which it closes. */
    public static long maxTimestamp(long windowStart, long sizeMs) {
        return windowStart + sizeMs - 1;
    }
}
