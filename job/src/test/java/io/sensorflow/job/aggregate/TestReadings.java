package io.sensorflow.job.aggregate;

import io.sensorflow.job.readings.Reading;

/** Readings and batches for operator tests. */
final class TestReadings {

    static final long MINUTE = 60_000L;
    static final long WINDOW = 15 * MINUTE;

    private TestReadings() {}

    static Reading reading(String sensor, long eventTime, double temperature) {
        return reading(sensor, eventTime, temperature, Reading.SEQ_ABSENT);
    }

    static Reading reading(String sensor, long eventTime, double temperature, long seq) {
        Reading r = new Reading();
        r.sensorId = sensor;
        r.eventTime = eventTime;
        r.temperature = temperature;
        r.seq = seq;
        r.sourceTopic = "sensor-readings";
        r.sourcePartition = 0;
        r.sourceOffset = eventTime;
        return r;
    }

    static ReadingBatch batch(String sensor, long windowStart, Reading... readings) {
        ReadingBatch b = ReadingBatch.create(sensor, windowStart, 1);
        for (Reading r : readings) {
            b.add(r);
        }
        return b.trimmed();
    }
}
