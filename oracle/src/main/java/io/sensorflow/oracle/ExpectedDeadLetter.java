package io.sensorflow.oracle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A message the job must reject: its key, its payload as text (lossy where a hostile payload is
 * not UTF-8; what the job kept of it, on the job's side), the reason code, and the whole payload's
 * size and SHA-256 (hex), which tell a dead letter by, however much of its payload the job kept.
 */
public record ExpectedDeadLetter(String key, String payload, ExpectedRejectReason reason, int payloadSize, String payloadSha256) {

    /** A dead letter of a payload given whole as text (UTF-8). */
    public ExpectedDeadLetter(String key, String payload, ExpectedRejectReason reason) {
        this(key, payload, reason, payload.getBytes(StandardCharsets.UTF_8).length,
                sha256(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** The dead letter of the first {@code length} bytes of {@code payload}. */
    public static ExpectedDeadLetter of(String key, byte[] payload, int length, ExpectedRejectReason reason) {
        byte[] bytes = Arrays.copyOf(payload, length);
        return new ExpectedDeadLetter(key, new String(bytes, StandardCharsets.UTF_8), reason, length, sha256(bytes));
    }

    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
