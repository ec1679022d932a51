package io.sensorflow.simulator.output;

import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.MessageListener;
import io.sensorflow.oracle.SensorIds;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages generated ahead into memory, to be sent later as fast as the sink takes them (so that
 * a measurement times sending, not generating). Stored compactly: per message the sensor number,
 * the length and the payload bytes, in 16 MiB chunks.
 */
public final class MessageBatch implements MessageListener {

    private static final int CHUNK = 16 << 20;

    private final SensorIds ids;
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> chunkEnds = new ArrayList<>();
    private byte[] current;
    private int position;
    private long size;
    private long bytes;

    public MessageBatch(SensorIds ids) {
        this.ids = ids;
    }

    @Override
    public void onMessage(MessageFacts facts, byte[] key, byte[] payload, int length) {
        int need = 8 + length;
        if (current == null || position + need > current.length) {
            if (current != null) {
                chunkEnds.add(position);
            }
            current = new byte[Math.max(CHUNK, need)];
            chunks.add(current);
            position = 0;
        }
        putInt(current, position, facts.sensor());
        putInt(current, position + 4, length);
        System.arraycopy(payload, 0, current, position + 8, length);
        position += need;
        size++;
        bytes += length;
    }

    /** Messages held. */
    public long size() {
        return size;
    }

    /** Payload bytes held. */
    public long payloadBytes() {
        return bytes;
    }

    /** Sends every message, in order, to {@code sink}. */
    public void sendTo(MessageSink sink) {
        sendTo(sink, n -> { });
    }

    /** Sends every message, in order, calling {@code afterEach} with the count sent so far. */
    public void sendTo(MessageSink sink, java.util.function.LongConsumer afterEach) {
        byte[] scratch = new byte[256];
        long sent = 0;
        for (int c = 0; c < chunks.size(); c++) {
            byte[] chunk = chunks.get(c);
            int end = c < chunkEnds.size() ? chunkEnds.get(c) : position;
            int p = 0;
            while (p < end) {
                int length = getInt(chunk, p + 4);
                int sensor = getInt(chunk, p);
                if (scratch.length < length) {
                    scratch = new byte[length * 2];
                }
                System.arraycopy(chunk, p + 8, scratch, 0, length);
                sink.send(sensor, ids.key(sensor), scratch, length);
                afterEach.accept(++sent);
                p += 8 + length;
            }
        }
    }

    private static void putInt(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 24);
        a[i + 1] = (byte) (v >>> 16);
        a[i + 2] = (byte) (v >>> 8);
        a[i + 3] = (byte) v;
    }

    private static int getInt(byte[] a, int i) {
        return ((a[i] & 0xFF) << 24) | ((a[i + 1] & 0xFF) << 16) | ((a[i + 2] & 0xFF) << 8) | (a[i + 3] & 0xFF);
    }
}
