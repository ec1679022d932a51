package io.sensorflow.simulator.payload;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Writes epoch milliseconds as {@code 2026-11-21T08:15:03.120Z} or {@code 2026-11-21 08:15:03}
 * (UTC) without allocating: the date part is computed once per day and kept.
 * One instance per writer thread.
 */
public final class TimestampText {

    private static final long MS_PER_DAY = 86_400_000L;

    private long cachedDay = Long.MIN_VALUE;
    private final byte[] date = new byte[10];

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    public void writeIso(long epochMs, ByteBuf out) {
        writeDate(epochMs, out);
        out.put((byte) 'T');
        writeTime(epochMs, out);
        out.put((byte) '.');
        out.put3((int) Math.floorMod(epochMs, 1000L));
        out.put((byte) 'Z');
    }

    /** {@code yyyy-MM-dd HH:mm:ss}: the milliseconds are dropped. */
    public void writeSql(long epochMs, ByteBuf out) {
        writeDate(epochMs, out);
        out.put((byte) ' ');
        writeTime(epochMs, out);
    }

    public String iso(long epochMs) {
        ByteBuf b = new ByteBuf(32);
        writeIso(epochMs, b);
        return b.toString();
    }

    public String sql(long epochMs) {
        ByteBuf b = new ByteBuf(32);
        writeSql(epochMs, b);
        return b.toString();
    }

    private void writeDate(long epochMs, ByteBuf out) {
        long day = Math.floorDiv(epochMs, MS_PER_DAY);
        if (day != cachedDay) {
            byte[] text = LocalDate.ofEpochDay(day).toString().getBytes(StandardCharsets.US_ASCII);
            if (text.length != 10) {
                throw new IllegalArgumentException("year out of 0000..9999: " + epochMs);
            }
            System.arraycopy(text, 0, date, 0, 10);
            cachedDay = day;
        }
        out.put(date);
    }

    private static void writeTime(long epochMs, ByteBuf out) {
        int secondOfDay = (int) (Math.floorMod(epochMs, MS_PER_DAY) / 1000);
        out.put2(secondOfDay / 3600);
        out.put((byte) ':');
        out.put2((secondOfDay / 60) % 60);
        out.put((byte) ':');
        out.put2(secondOfDay % 60);
    }
}
