package io.sensorflow.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingParser;
import io.sensorflow.job.readings.ReadingValidator;
import io.sensorflow.job.readings.PhysicalRanges;
import io.sensorflow.job.readings.RejectReason;
import io.sensorflow.job.sink.RecordLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which window a rejected reading is counted in, in the window_quality view. */
class DeadLetterTest {

    private static final long WINDOW = 15 * 60_000L;
    /** 2026-11-21T08:15:04Z, the Kafka record time. */
    private static final long RECEIVED = 1_795_248_904_000L;
    private static final long RECEIVED_WINDOW = 1_795_248_900_000L;

    private static DeadLetter rejected(String json, long now) {
        Reading r = new ReadingValidator(PhysicalRanges.DEFAULTS, 600_000)
                .validate(ReadingParser.parse(json.getBytes(StandardCharsets.UTF_8)), now);
        r.receivedAt = RECEIVED;
        r.payload = json.getBytes(StandardCharsets.UTF_8);
        return DeadLetter.of(r, WINDOW, RecordLimits.kafkaDefaults().deadLetterWholePayloadBytes(), DeadLetterJsonTest.digest());
    }

    @Test
    void aReadingWithAUsableTimeIsCountedInTheWindowOfThatTime() {
        // 08:01:40, out of range
        DeadLetter d = rejected("{\"sensor_id\":\"a\",\"ts\":1795248100,\"humidity\":140}", RECEIVED);

        assertThat(d.reasonCode).isEqualTo(RejectReason.OUT_OF_RANGE.name());
        assertThat(d.windowStart).isEqualTo(1_795_248_000_000L);
        assertThat(d.windowEnd).isEqualTo(1_795_248_900_000L);
    }

    @Test
    void aReadingFromTheFutureIsCountedWhenItArrivedNotYearsAhead() {
        DeadLetter d = rejected("{\"sensor_id\":\"a\",\"ts\":2110000000,\"temperature\":20}", RECEIVED);

        assertThat(d.reasonCode).isEqualTo(RejectReason.FUTURE_TIMESTAMP.name());
        assertThat(d.eventTime).isEqualTo(2_110_000_000_000L); // still reported as it was sent
        assertThat(d.windowStart).isEqualTo(RECEIVED_WINDOW);
    }

    @Test
    void aReadingWithoutATimeIsCountedWhenItArrived() {
        DeadLetter d = rejected("{\"sensor_id\":\"a\",\"temperature\":20}", RECEIVED);

        assertThat(d.hasEventTime()).isFalse();
        assertThat(d.windowStart).isEqualTo(RECEIVED_WINDOW);
    }
}
