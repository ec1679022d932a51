package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void findsANonAsciiByteAtEveryPositionOfTheWordLoopAndTheTail() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
                bytes[at] = (byte) 0xC0; // a lone lead byte: never valid
                assertThat(Utf8.isValid(bytes)).as("length %d, bad byte at %d", length, at).isFalse();
            }
            assertThat(Utf8.isValid("a".repeat(length).getBytes(StandardCharsets.US_ASCII))).isTrue();
        }
    }

    @Test
    void acceptsValidMultiByteTextAndRejectsOverlongForms() {
        assertThat(Utf8.isValid("température 21.4 °C 🌱".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isValid(new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'})).isFalse();
        assertThat(Utf8.isValid(new byte[0])).isTrue();
    }
}
