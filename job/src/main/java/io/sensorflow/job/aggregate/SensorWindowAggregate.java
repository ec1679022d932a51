package io.sensorflow.job.aggregate;

/** One row of {@code sensor_aggregates}: a sensor's readings in one window. NaN = no such value. */
public class SensorWindowAggregate {

    public String sensorId;
    public long windowStart;
    public long windowEnd;
    public int readingCount;
    public int duplicateCount;
    /** Of readingCount, those that arrived behind the watermark: counted here, seen by no alert rule. */
    public int readingsLateForRules;
    public int temperatureCount;
    public double temperatureMin;
    public double temperatureMax;
    public double temperatureAvg;
    public int humidityCount;
    public double humidityMin;
    public double humidityMax;
    public double humidityAvg;
    public int distanceCount;
    public double distanceMin;
    public double distanceMax;
    public double distanceAvg;
    public int motionReadings;
    public int motionCount;
    public long firstEventTime;
    public long lastEventTime;

    public SensorWindowAggregate() {}

    public static SensorWindowAggregate of(String sensorId, WindowAccumulator acc, long windowSizeMs) {
        SensorWindowAggregate a = new SensorWindowAggregate();
        a.sensorId = sensorId;
        a.windowStart = acc.windowStart;
        a.windowEnd = acc.windowStart + windowSizeMs;
        a.readingCount = acc.readingCount;
        a.duplicateCount = acc.duplicateCount;
        a.readingsLateForRules = acc.readingsLateForRules;
        a.temperatureCount = acc.temperature.count;
        a.temperatureMin = acc.temperature.minOrNaN();
        a.temperatureMax = acc.temperature.maxOrNaN();
        a.temperatureAvg = acc.temperature.avgOrNaN();
        a.humidityCount = acc.humidity.count;
        a.humidityMin = acc.humidity.minOrNaN();
        a.humidityMax = acc.humidity.maxOrNaN();
        a.humidityAvg = acc.humidity.avgOrNaN();
        a.distanceCount = acc.distanceCm.count;
        a.distanceMin = acc.distanceCm.minOrNaN();
        a.distanceMax = acc.distanceCm.maxOrNaN();
        a.distanceAvg = acc.distanceCm.avgOrNaN();
        a.motionReadings = acc.motionReadings;
        a.motionCount = acc.motionCount;
        a.firstEventTime = acc.firstEventTime;
        a.lastEventTime = acc.lastEventTime;
        return a;
    }

    @Override
    public String toString() {
        return "SensorWindowAggregate{" + sensorId + " [" + windowStart + "," + windowEnd + ") n=" + readingCount
                + " dup=" + duplicateCount + " lateForRules=" + readingsLateForRules + " t=" + temperatureMin + "/" + temperatureAvg + "/" + temperatureMax + "}";
    }
}
