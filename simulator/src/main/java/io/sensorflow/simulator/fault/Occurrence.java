package io.sensorflow.simulator.fault;

/**
 * How often an event fault happens: on each reading with a probability, or an exact number of
 * times at readings the seeded PRNG picks (the run must then be bounded).
 */
public record Occurrence(double probability, long count) {

    public static Occurrence probability(double p) {
        return new Occurrence(p, 0);
    }

    public static Occurrence count(long n) {
        return new Occurrence(0, n);
    }

    public boolean isCount() {
        return count > 0;
    }

    @Override
    public String toString() {
        return isCount() ? "count=" + count : "probability=" + probability;
    }
}
