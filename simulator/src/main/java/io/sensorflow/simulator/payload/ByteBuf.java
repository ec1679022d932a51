package io.sensorflow.simulator.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that payloads are written into and reused from, one reading after the
 * other, so that writing a payload allocates nothing. Numbers are written as ASCII digits.
 */
public final class ByteBuf {

    private byte[] bytes;
    private int length;

    public ByteBuf(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public ByteBuf clear() {
        length = 0;
        return this;
    }

    /** Drops everything after the first {@code newLength} bytes. */
    public void truncate(int newLength) {
        length = Math.min(length, Math.max(0, newLength));
    }

    public byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }

    public ByteBuf put(byte b) {
        ensure(1);
        bytes[length++] = b;
        return this;
    }

    public ByteBuf put(char c) {
        return put((byte) c);
    }

    public ByteBuf put(byte[] src) {
        return put(src, 0, src.length);
    }

    public ByteBuf put(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Writes a string as UTF-8 (an allocation: for the slow paths only). */
    public ByteBuf put(String s) {
        return put(s.getBytes(StandardCharsets.UTF_8));
    }

    public ByteBuf putLong(long v) {
        if (v == Long.MIN_VALUE) {
            return put(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = digitCount(v);
        int end = length + digits;
        int p = end;
        do {
            bytes[--p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        length = end;
        return this;
    }

    /** Writes {@code value} zero-padded to at least {@code width} digits (value >= 0). */
    public ByteBuf putPadded(long value, int width) {
        int digits = digitCount(value);
        ensure(Math.max(width, digits));
        for (int i = digits; i < width; i++) {
            bytes[length++] = '0';
        }
        return putLong(value);
    }

    /** Writes tenths as a decimal with exactly one fractional digit: 214 is {@code 21.4}, 210 is {@code 21.0}. */
    public ByteBuf putTenths(long tenths) {
        if (tenths < 0) {
            put((byte) '-');
            tenths = -tenths;
        }
        putLong(tenths / 10);
        ensure(2);
        bytes[length++] = '.';
        bytes[length++] = (byte) ('0' + (int) (tenths % 10));
        return this;
    }

    /** Writes exactly two digits (0..99). */
    void put2(int v) {
        ensure(2);
        bytes[length++] = (byte) ('0' + v / 10);
        bytes[length++] = (byte) ('0' + v % 10);
    }

    /** Writes exactly three digits (0..999). */
    void put3(int v) {
        ensure(3);
        bytes[length++] = (byte) ('0' + v / 100);
        bytes[length++] = (byte) ('0' + (v / 10) % 10);
        bytes[length++] = (byte) ('0' + v % 10);
    }

    static int digitCount(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
