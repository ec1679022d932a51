package io.sensorflow.simulator.payload;

import io.sensorflow.oracle.MessageFacts;
import java.util.List;

/**
 * Writes a valid reading in one payload format. {@link #encode} is the fast path (no allocation);
 * {@link #fields} gives the same payload as a list of fields, for building malformed variants.
 * An encoder keeps per-thread caches: one per simulation.
 */
public interface PayloadEncoder {

    /** Appends the payload of a valid reading ({@code facts.eventTime()} is the stated time). */
    void encode(MessageFacts facts, ByteBuf out);

    /** The payload {@link #encode} writes, field by field, in the same order. */
    List<JsonField> fields(MessageFacts facts);

    /** How this format states an event time, as raw JSON (a string or a number). */
    String timestampJson(long epochMs);

    /** Appends {@code {"a":1,"b":2}} made of {@code fields}. */
    static void writeObject(List<JsonField> fields, ByteBuf out) {
        out.put((byte) '{');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            JsonField f = fields.get(i);
            out.put((byte) '"').put(f.name()).put((byte) '"').put((byte) ':').put(f.rawJson());
        }
        out.put((byte) '}');
    }
}
