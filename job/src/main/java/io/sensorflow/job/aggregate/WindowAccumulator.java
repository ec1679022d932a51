package io.sensorflow.job.aggregate;

/** The running aggregate of one sensor window, kept in keyed state until the window is purged. */
public class WindowAccumulator {

    public long windowStart;
    public int readingCount;
    public int duplicateCount;
    /**
     * Of {@link #readingCount}, the readings that arrived behind the watermark, which no alert rule
     * saw. A field added later: state from before restores with 0 (Flink's POJO schema evolution).
     */
    public int readingsLateForRules;
    public Stat temperature = new Stat();
    public Stat humidity = new Stat();
    public Stat distanceCm = new Stat();
    public int motionReadings;
    public int motionCount;
    public long firstEventTime = Long.MAX_VALUE;
    public long lastEventTime = Long.MIN_VALUE;
    public ReadingIds ids = new ReadingIds();

    public WindowAccumulator() {}

    public WindowAccumulator(long windowStart) {
        this.windowStart = windowStart;
    }

    /**
     * Adds the batch's readings that were not counted before; returns how many were duplicates.
     * The batch keeps only the readings it counted, in their order: what the archive gets. Nothing
     * is copied while there is no duplicate.
     */
    public int add(ReadingBatch batch) {
        int duplicates = 0;
        for (int i = 0; i < batch.size; i++) {
            if (!ids.add(batch.eventTime(i), batch.contentHash(i))) {
                duplicates++;
                continue;
            }
            batch.moveRow(i, i - duplicates);
            readingCount++;
            if (batch.lateForRules(i)) {
                readingsLateForRules++;
            }
            long t = batch.eventTime(i);
            if (t < firstEventTime) {
                firstEventTime = t;
            }
            if (t > lastEventTime) {
                lastEventTime = t;
            }
            temperature.add(batch.temperature(i));
            humidity.add(batch.humidity(i));
            distanceCm.add(batch.distanceCm(i));
            byte m = batch.motion(i);
            if (m >= 0) {
                motionReadings++;
                motionCount += m;
            }
        }
        duplicateCount += duplicates;
        batch.size -= duplicates;
        return duplicates;
    }

    /** Count, minimum, maximum and sum of one measurement; NaN (absent) values are skipped. */
    public static class Stat {
        public int count;
        public double min = Double.POSITIVE_INFINITY;
        public double max = Double.NEGATIVE_INFINITY;
        public double sum;

        public Stat() {}

        void add(double v) {
            if (v == v) {
                count++;
                sum += v;
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }

        public double minOrNaN() {
            return count == 0 ? Double.NaN : min;
        }

        public double maxOrNaN() {
            return count == 0 ? Double.NaN : max;
        }

        public double avgOrNaN() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
