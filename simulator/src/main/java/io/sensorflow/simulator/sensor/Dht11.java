package io.sensorflow.simulator.sensor;

/**
 * DHT11 temperature/humidity sensors: whole degrees and whole percent, each sensor drifting
 * slowly around its own base (a random walk pulled back toward the base), within the DHT11's
 * 0..50 °C and 20..90 % and at most one reading per second.
 */
public final class Dht11 {

    /** The DHT11 cannot be read more often than this. */
    public static final long MIN_PERIOD_MS = 1000;

    private final int[] temperature;
    private final int[] humidity;
    private final int[] baseTemperature;
    private final int[] baseHumidity;
    private final long[] lastRead;
    private final Prng rng;

    public Dht11(int sensors, Prng rng) {
        this.rng = rng;
        temperature = new int[sensors];
        humidity = new int[sensors];
        baseTemperature = new int[sensors];
        baseHumidity = new int[sensors];
        lastRead = new long[sensors];
        for (int s = 0; s < sensors; s++) {
            baseTemperature[s] = 17 + rng.nextInt(10);
            baseHumidity[s] = 35 + rng.nextInt(26);
            temperature[s] = baseTemperature[s];
            humidity[s] = baseHumidity[s];
            lastRead[s] = Long.MIN_VALUE / 2;
        }
    }

    /**
     * Reads sensor {@code s} at {@code timeMs} if a second has passed since its last read.
     *
     * @return whether a reading was taken (then {@link #temperatureTenths}/{@link #humidityTenths} are fresh)
     */
    public boolean read(int s, long timeMs) {
        if (timeMs - lastRead[s] < MIN_PERIOD_MS) {
            return false;
        }
        lastRead[s] = timeMs;
        long r = rng.nextLong();
        temperature[s] = step(temperature[s], baseTemperature[s], (int) (r & 31), 0, 50);
        humidity[s] = step(humidity[s], baseHumidity[s], (int) ((r >>> 8) & 31), 20, 90);
        return true;
    }

    public int temperatureTenths(int s) {
        return temperature[s] * 10;
    }

    public int humidityTenths(int s) {
        return humidity[s] * 10;
    }

    /** One step of the walk: mostly unchanged, sometimes ±1, sometimes back toward the base. */
    private static int step(int v, int base, int r, int min, int max) {
        if (r == 0) {
            v++;
        } else if (r == 1) {
            v--;
        } else if (r == 2 && v != base) {
            v += v < base ? 1 : -1;
        }
        return Math.max(min, Math.min(max, v));
    }
}
