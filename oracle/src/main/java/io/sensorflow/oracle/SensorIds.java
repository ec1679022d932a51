package io.sensorflow.oracle;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The fleet's sensor ids and Kafka keys. Sensor {@code i} (zero-based) is numbered {@code i + 1}:
 * {@code sensor-00001}, {@code device_1}, or {@code 1} for the integer-id format.
 */
public final class SensorIds {

    private final String[] ids;
    private final byte[][] keys;
    private final Map<String, Integer> byId;

    public SensorIds(int count, String prefix, int width) {
        ids = new String[count];
        keys = new byte[count][];
        byId = new HashMap<>(count * 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.setLength(0);
            sb.append(prefix);
            String n = Integer.toString(i + 1);
            for (int pad = n.length(); pad < width; pad++) {
                sb.append('0');
            }
            sb.append(n);
            ids[i] = sb.toString();
            keys[i] = ids[i].getBytes(StandardCharsets.UTF_8);
            byId.put(ids[i], i);
        }
    }

    public int size() {
        return ids.length;
    }

    /** The id as the job reports it (the decimal string for integer ids). */
    public String id(int sensor) {
        return ids[sensor];
    }

    /** The Kafka key: the id in UTF-8. Shared: do not modify. */
    public byte[] key(int sensor) {
        return keys[sensor];
    }

    /**
     * The sensor an id names: an id of this fleet, or a number 1..size.
     *
     * @return the zero-based sensor, or -1
     */
    public int find(String idOrNumber) {
        Integer i = byId.get(idOrNumber);
        if (i != null) {
            return i;
        }
        try {
            int n = Integer.parseInt(idOrNumber.trim());
            return n >= 1 && n <= ids.length ? n - 1 : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String rangeText() {
        return ids[0] + ".." + ids[ids.length - 1];
    }
}
