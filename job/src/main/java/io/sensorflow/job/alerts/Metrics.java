package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;

/** A rule's metric, read from a reading. */
final class Metrics {

    private Metrics() {}

    static double value(Reading r, Metric m) {
        switch (m) {
            case TEMPERATURE:
                return r.temperature;
            case HUMIDITY:
                return r.humidity;
            default:
                return r.distanceCm;
        }
    }
}
