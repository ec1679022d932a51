package io.sensorflow.simulator.sensor;

/**
 * The HC-SR04 ultrasonic range finder and the PIR motion sensor of each sensor node, driven by one
 * model: mostly the range finder sees its wall (a per-sensor distance, ±0.5 cm of noise at 0.1 cm
 * resolution) and the PIR reports nothing; now and then someone passes, and for a few consecutive
 * readings the PIR reports motion and the range finder sees the person, closer than the wall.
 */
public final class PresenceSensors {

    private final int[] wall;
    private final int[] person;
    private final int[] burstLeft;
    private final Prng rng;
    private int distance;
    private boolean motion;

    public PresenceSensors(int sensors, Prng rng) {
        this.rng = rng;
        wall = new int[sensors];
        person = new int[sensors];
        burstLeft = new int[sensors];
        for (int s = 0; s < sensors; s++) {
            wall[s] = 1500 + rng.nextInt(2400); // 150.0..389.9 cm
        }
    }

    /** Takes the next reading of sensor {@code s}; read it with {@link #distanceTenths()} and {@link #motion()}. */
    public void read(int s) {
        long r = rng.nextLong();
        int noise = (int) ((r & 0xFF) % 11) - 5;
        if (burstLeft[s] > 0) {
            burstLeft[s]--;
            motion = true;
            distance = person[s] + noise;
        } else if (((r >>> 8) & 63) == 0) {
            burstLeft[s] = 1 + (int) ((r >>> 16) % 5); // a burst of 2..6 readings
            person[s] = 300 + (int) ((r >>> 24) % Math.max(1, wall[s] - 600));
            motion = true;
            distance = person[s] + noise;
        } else {
            motion = false;
            distance = wall[s] + noise;
        }
        distance = Math.max(20, Math.min(4000, distance));
    }

    public int distanceTenths() {
        return distance;
    }

    public boolean motion() {
        return motion;
    }
}
