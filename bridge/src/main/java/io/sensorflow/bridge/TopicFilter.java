package io.sensorflow.bridge;

/**
 * An MQTT topic filter with exactly one single-level wildcard, the sensor id: {@code sensors/+/readings}.
 * {@link #sensorId(String)} matches a topic name against it and returns the level the wildcard stands for.
 */
public final class TopicFilter {

    private final String filter;
    private final String[] levels;
    private final int idLevel;

    private TopicFilter(String filter, String[] levels, int idLevel) {
        this.filter = filter;
        this.levels = levels;
        this.idLevel = idLevel;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, when {@code filter} is not a valid MQTT filter with
     *     exactly one {@code +} level and no {@code #}
     */
    public static TopicFilter parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (filter.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("must not contain a NUL character");
        }
        if (filter.contains("#")) {
            throw new IllegalArgumentException("'" + filter + "' must not contain '#': the sensor id is the one '+' level,"
                    + " e.g. sensors/+/readings");
        }
        String[] levels = filter.split("/", -1);
        int idLevel = -1;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("+")) {
                if (idLevel >= 0) {
                    throw new IllegalArgumentException("'" + filter + "' has more than one '+' level: exactly one,"
                            + " the sensor id, e.g. sensors/+/readings");
                }
                idLevel = i;
            } else if (level.contains("+")) {
                throw new IllegalArgumentException("'" + filter + "': '+' must be a whole level, e.g. sensors/+/readings");
            }
        }
        if (idLevel < 0) {
            throw new IllegalArgumentException("'" + filter + "' has no '+' level for the sensor id, e.g. sensors/+/readings");
        }
        return new TopicFilter(filter, levels, idLevel);
    }

    /** The sensor id in {@code topic} if the topic matches this filter, else null. */
    public String sensorId(String topic) {
        // A wildcard in the first level does not match topics starting with '$' (MQTT 3.1.1, 4.7.2).
        if (idLevel == 0 && topic.startsWith("$")) {
            return null;
        }
        int start = 0;
        String id = null;
        for (int i = 0; i < levels.length; i++) {
            int end = topic.indexOf('/', start);
            boolean last = i == levels.length - 1;
            if (last != (end < 0)) {
                return null; // fewer or more levels than the filter
            }
            String level = last ? topic.substring(start) : topic.substring(start, end);
            if (i == idLevel) {
                id = level;
            } else if (!level.equals(levels[i])) {
                return null;
            }
            start = end + 1;
        }
        return id;
    }

    @Override
    public String toString() {
        return filter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter && ((TopicFilter) o).filter.equals(filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    /** Whether some topic matches both filters (same number of levels, and each level equal or a wildcard). */
    public boolean overlaps(TopicFilter other) {
        if (levels.length != other.levels.length) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            boolean wild = i == idLevel || i == other.idLevel;
            if (!wild && !levels[i].equals(other.levels[i])) {
                return false;
            }
        }
        return true;
    }
}
