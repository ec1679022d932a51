package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reason text goes into a PostgreSQL text column and a JSON string: no NUL, no lone surrogate. */
class RejectDetailTest {

    @Test
    void jacksonsEchoOfABadTokenLosesItsControlCharacters() {
        // The NUL after the first four bytes: one among them is refused before Jackson sees the payload.
        Reading r = ReadingParser.parse("abcde\u0000fg\u0001".getBytes(StandardCharsets.UTF_8));

        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);
        assertThat(r.rejectDetail).contains("abcde?fg").doesNotContain("\u0000").doesNotContain("\u0001");
    }

    @Test
    void anEscapedLoneSurrogateIsNotASensorId() {
        Reading r = ReadingParser.parse(
                "{\"sensor_id\":\"a\\uD800\",\"ts\":1795248000,\"temperature\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(r.rejectReason).isEqualTo(RejectReason.INVALID_SENSOR_ID);
    }

    @Test
    void aPairedSurrogateIsOneCharacterOfASensorId() {
        String emoji = "\uD83C\uDF31"; // 🌱
        Reading r = ReadingParser.parse(("{\"sensor_id\":\"" + emoji.repeat(128) + "\",\"ts\":1795248000,\"temperature\":1}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.isValid()).isTrue();
        assertThat(r.sensorId).hasSize(256);
    }
}
