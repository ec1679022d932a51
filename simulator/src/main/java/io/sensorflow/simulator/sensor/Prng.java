package io.sensorflow.simulator.sensor;

/**
 * SplitMix64: small, fast, and the same numbers on every JVM for a seed (which
 * {@code java.util.Random} subclasses do not promise across versions). Not thread-safe.
 */
public final class Prng {

    private long state;

    public Prng(long seed) {
        this.state = seed;
    }

    /** An independent stream for one purpose, derived from a seed and a purpose number. */
    public static Prng stream(long seed, long purpose) {
        return new Prng(mix(seed ^ mix(purpose * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L)));
    }

    public long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform in [0, bound), bound > 0. */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, bound), bound > 0. */
    public long nextLong(long bound) {
        return Math.floorMod(nextLong(), bound);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
