package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.sink.RecordLimits;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every alert the job can make is bounded, whatever it read: the largest one a rule file allows
 * (a sequence of 1,000 readings, the schema's maximum, with the longest rule id, a sensor id of
 * 128 four-byte characters, values of 17 significant digits, times with milliseconds in the year
 * 9999) fits well under the alerts topic's smallest record limit the job starts with
 * ({@link RecordLimits#MIN_ALERTS_TOPIC_BYTES}).
 */
class AlertRecordBoundTest {

    private static final String LONGEST_RULE_ID = "r" + "-".repeat(62);
    private static final String LONGEST_SENSOR_ID = "🌡".repeat(128);

    @Test
    void theLargestSequenceAlertFitsTheSmallestAlertsTopic() throws Exception {
        SequenceRule rule = new SequenceRule(LONGEST_RULE_ID, Severity.CRITICAL, "d".repeat(500), Metric.TEMPERATURE,
                false, 0, 1_000, Duration.ofHours(1));
        try (AlertRulesHarness h = new AlertRulesHarness(List.of(rule))) {
            long t = 253_402_299_000_000L; // 9999-12-31T23:30:00Z: times with the longest ISO text
            for (int i = 0; i < 1_000; i++) {
                Reading r = new Reading();
                r.sensorId = LONGEST_SENSOR_ID;
                r.eventTime = t + i * 1_000L + 123;
                r.temperature = -39.123456789012345; // 17 significant digits
                h.reading(r);
            }
            h.watermark(Long.MAX_VALUE - 1);
            List<Alert> alerts = h.takeAlerts();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).readingTimes).hasSize(1_000);
            assertFits(alerts.get(0));
        }
    }

    @Test
    void aRiseAlertIsSmall() throws Exception {
        RiseRule rule = new RiseRule(LONGEST_RULE_ID, Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofHours(1));
        try (AlertRulesHarness h = new AlertRulesHarness(List.of(rule))) {
            h.reading(LONGEST_SENSOR_ID, 1_000, -39.123456789012345);
            h.reading(LONGEST_SENSOR_ID, 2_000, 120.12345678901234);
            h.watermark(3_000);
            List<Alert> alerts = h.takeAlerts();
            assertThat(alerts).hasSize(1);
            assertThat(AlertJson.toJson(alerts.get(0)).length).isLessThan(4 * 1024);
        }
    }

    private static void assertFits(Alert a) {
        a.late = true; // and its fields at their widest: made by a late reading (late: evaluate)
        a.detectionDelayMs = Long.MAX_VALUE;
        ProducerRecord<byte[], byte[]> record = new AlertRecords("sensor-alerts").serialize(a, null, null);
        int size = record.key().length + record.value().length;
        assertThat(size).isLessThan(RecordLimits.MIN_ALERTS_TOPIC_BYTES - RecordLimits.RECORD_OVERHEAD_BYTES);
        // The same readings go to the table's jsonb column, and the message to a text column.
        assertThat(AlertJson.readingsJson(a).length()).isLessThan(RecordLimits.MIN_ALERTS_TOPIC_BYTES);
        assertThat(a.message.length()).isLessThan(2_048);
    }
}
