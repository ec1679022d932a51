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
}
