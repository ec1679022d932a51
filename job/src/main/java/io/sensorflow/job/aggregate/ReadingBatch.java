package io.sensorflow.job.aggregate;

import io.sensorflow.job.readings.Reading;
import java.util.Arrays;

/**
 * The readings of one sensor in one window, in columns: what {@link BatchReadingsBySensorWindow}
 * sends across the network to {@link AggregateSensorWindows}. Sending a batch instead of each
 * reading saves the per-record framing, key hashing and state look-up of a plain keyBy.
 */
public class ReadingBatch {

    public String sensorId;
    public long windowStart;
    public int size;
    public long[] eventTimes;
    /** {@link Reading#identity()} of each reading, for de-duplication. */
    public long[] ids;
    public double[] temperature;
    public double[] humidity;
    public double[] distanceCm;
    public byte[] motion;

    public ReadingBatch() {}

    public static ReadingBatch create(String sensorId, long windowStart, int capacity) {
        ReadingBatch b = new ReadingBatch();
        b.sensorId = sensorId;
        b.windowStart = windowStart;
        b.eventTimes = new long[capacity];
        b.ids = new long[capacity];
        b.temperature = new double[capacity];
        b.humidity = new double[capacity];
        b.distanceCm = new double[capacity];
        b.motion = new byte[capacity];
        return b;
    }

    public void add(Reading r) {
        if (size == eventTimes.length) {
            grow();
        }
        eventTimes[size] = r.eventTime;
        ids[size] = r.identity();
        temperature[size] = r.temperature;
        humidity[size] = r.humidity;
        distanceCm[size] = r.distanceCm;
        motion[size] = r.motion;
        size++;
    }

    /** Cuts the columns to {@link #size}, so that only readings go over the wire. */
    public ReadingBatch trimmed() {
        if (size != eventTimes.length) {
            eventTimes = Arrays.copyOf(eventTimes, size);
            ids = Arrays.copyOf(ids, size);
            temperature = Arrays.copyOf(temperature, size);
            humidity = Arrays.copyOf(humidity, size);
            distanceCm = Arrays.copyOf(distanceCm, size);
            motion = Arrays.copyOf(motion, size);
        }
        return this;
    }

    private void grow() {
        int capacity = Math.max(4, eventTimes.length * 2);
        eventTimes = Arrays.copyOf(eventTimes, capacity);
        ids = Arrays.copyOf(ids, capacity);
        temperature = Arrays.copyOf(temperature, capacity);
        humidity = Arrays.copyOf(humidity, capacity);
        distanceCm = Arrays.copyOf(distanceCm, capacity);
        motion = Arrays.copyOf(motion, capacity);
    }

    @Override
    public String toString() {
        return "ReadingBatch{" + sensorId + " window=" + windowStart + " size=" + size + "}";
    }
}
