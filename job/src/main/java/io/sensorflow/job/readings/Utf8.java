package io.sensorflow.job.readings;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 validation: no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    static boolean isValid(byte[] bytes) {
        // Readings are almost always ASCII: eight bytes at a time, no allocation.
        int i = 0;
        for (int end = bytes.length - 7; i < end; i += 8) {
            if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                return decodesStrictly(bytes);
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] < 0) {
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
