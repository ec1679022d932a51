package io.sensorflow.oracle;

/**
 * One metric over one (sensor, window): how many readings carried it, min, max and sum. The job
 * may add in another order, so compare {@link #avg()} and {@link #sum()} with a tolerance
 * ({@link #matches}); count, min and max are exact.
 */
public record MetricStats(long count, double min, double max, double sum) {

    /** From a row that stores an average instead of a sum. */
    public static MetricStats ofAverage(long count, double min, double max, double avg) {
        return new MetricStats(count, min, max, avg * count);
    }

    public double avg() {
        return sum / count;
    }

    /** Same count, min and max (to 1e-9), and averages within {@code avgTolerance}. */
    public boolean matches(MetricStats actual, double avgTolerance) {
        return actual != null && count == actual.count && Math.abs(min - actual.min) <= 1e-9
                && Math.abs(max - actual.max) <= 1e-9 && Math.abs(avg() - actual.avg()) <= avgTolerance;
    }

    @Override
    public String toString() {
        return "{count=" + count + ", min=" + min + ", max=" + max + ", avg=" + avg() + "}";
    }
}
