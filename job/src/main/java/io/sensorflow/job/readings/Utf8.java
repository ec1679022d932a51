package io.sensorflow.job.readings;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 validation: no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private Utf8() {}

    static boolean isValid(byte[] bytes) {
        // Readings are almost always ASCII: one pass over the bytes, no allocation.
        for (byte b : bytes) {
            if (b < 0) {
                return decodesStrictly(bytes);
            }
        }
        return true;
    }

    private static boolean decodesStrictly(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
