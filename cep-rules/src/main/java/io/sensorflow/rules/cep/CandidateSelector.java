package io.sensorflow.rules.cep;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Picks, from one sensor's readings in event-time order, the few that its rule's pattern can
 * still match, so that CEP's work grows with what can match rather than with every reading.
 * One selector per rule; its per-sensor state is an {@code S}, kept by the caller.
 *
 * <p>Readings must arrive in event-time order: the caller holds them until the watermark has
 * passed them. What a selector passes on always reaches CEP ahead of the next watermark.
 */
public interface CandidateSelector<S> extends java.io.Serializable {

    S newState();

    /** One reading of the sensor, in event-time order; {@code value} is NaN when the reading lacks the metric. */
    void accept(S state, String sensorId, long timestamp, double value, Consumer<RuleEvent> out);

    /** Whether the state says nothing a fresh one would not: it may then be dropped. */
    boolean isEmpty(S state, long watermark);

    void write(S state, DataOutput out) throws IOException;

    S read(DataInput in) throws IOException;

    /**
     * Whether {@code watermark} is at least {@code ms} past {@code time}: false while there is no
     * watermark yet (Long.MIN_VALUE, as after a restore until the first one comes), where the
     * difference would overflow into a large positive number and call everything old.
     */
    static boolean passedBy(long watermark, long time, long ms) {
        return watermark != Long.MIN_VALUE && watermark - time >= ms;
    }

    /** The first byte of a selector's state of a versioned form: this mark plus the version. */
    int FORMAT_VERSION_MARK = 0x40;

    /**
     * The version of a selector's state from its first byte: 0 for the unversioned form, whose first
     * byte was a boolean (0 or 1); {@code what} names the state in the error for a newer version.
     */
    static int formatVersion(int firstByte, int current, String what) throws IOException {
        int version = firstByte <= 1 ? 0 : firstByte - FORMAT_VERSION_MARK;
        if (version < 0 || version > current) {
            throw new IOException(what + " of format version " + version + ", this job reads versions 0 to " + current
                    + " (state of a newer job?)");
        }
        return version;
    }
}
