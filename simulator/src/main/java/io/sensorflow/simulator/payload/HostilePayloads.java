package io.sensorflow.simulator.payload;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.simulator.sensor.Prng;
import java.util.List;

/**
 * Payloads no sensor sends but a producer can: at the broker's size limits, nested deeper than any
 * reading, with names, strings and numbers past the parser's bounds, binary. Each is written from a
 * valid reading, and {@link #write} says what the job must make of it: a reason to reject it, or
 * null when it is the reading, still valid (unknown fields are ignored, however large).
 *
 * <p>The job's parser bounds (its README, "Readings"): a string it reads (a sensor id or a time) of
 * more than {@link #MAX_STRING_CHARS} characters, a field name of more than {@link #MAX_NAME_CHARS},
 * a number of more than {@link #MAX_NUMBER_DIGITS} digits, or nesting deeper than
 * {@link #MAX_NESTING} is not JSON to it. The values of unknown fields are skipped unread, whatever
 * their size.
 */
public final class HostilePayloads {

    public static final int MAX_STRING_CHARS = 1 << 20;
    public static final int MAX_NAME_CHARS = 50_000;
    public static final int MAX_NUMBER_DIGITS = 1_000;
    public static final int MAX_NESTING = 64;
    /** Epoch milliseconds far past the year 9999, still a time to the job: rejected as from the future. */
    public static final long FAR_FUTURE_MS = 8_999_999_999_999_999L;

    /** The shapes, by the name a scenario gives them. */
    public enum Shape {
        /** The reading with an unknown string field making it {@code size} bytes: valid, as unknown fields are skipped unread. */
        PADDING("padding"),
        /** The reading with an unknown field of arrays nested {@code size} / 2 deep. */
        DEEP_NESTING("deep-nesting"),
        /** The sensor id {@code size} characters long. */
        LONG_SENSOR_ID("long-sensor-id"),
        /** An unknown field whose name is {@code size} characters long. */
        LONG_FIELD_NAME("long-field-name"),
        /** temperature 1e400: a number past a double. */
        HUGE_NUMBER("huge-number"),
        /** temperature with {@code size} digits (at least the bound plus one). */
        LONG_NUMBER("long-number"),
        /** Distinct unknown fields up to {@code size} bytes. */
        MANY_FIELDS("many-fields"),
        /** {@code size} bytes that are not UTF-8. */
        BINARY("binary"),
        /** A raw NUL byte inside a string. */
        RAW_NUL("raw-nul"),
        /** An event time in the year 285,000,000. */
        FAR_FUTURE("far-future"),
        /** An event time in the year 285,000,000 and a temperature that is not a number. */
        FAR_FUTURE_BAD_VALUE("far-future-bad-value"),
        /** The temperature given twice. */
        REPEATED_FIELD("repeated-field");

        private final String id;

        Shape(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Shape fromId(String id) {
            for (Shape s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown shape '" + id + "' (expected any or one of " + ids() + ")");
        }

        public static String ids() {
            StringBuilder sb = new StringBuilder();
            for (Shape s : values()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(s.id);
            }
            return sb.toString();
        }
    }

    private final PayloadEncoder encoder;

    public HostilePayloads(PayloadEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Appends the {@code shape} payload of {@code reading}, about {@code size} bytes where the shape
     * has a size, and returns the reason the job must reject it for, or null when it stays valid.
     */
    public ExpectedRejectReason write(Shape shape, int size, MessageFacts reading, Prng rng, ByteBuf out) {
        List<JsonField> fields = encoder.fields(reading);
        switch (shape) {
            case PADDING: {
                int base = length(fields) + ",\"pad\":\"\"".length();
                int chars = Math.max(0, size - base);
                fields.add(new JsonField("pad", null, JsonField.quote("p".repeat(chars))));
                PayloadEncoder.writeObject(fields, out);
                return null;
            }
            case DEEP_NESTING: {
                int depth = Math.max(MAX_NESTING + 1, size / 2);
                fields.add(new JsonField("deep", null, "[".repeat(depth) + "]".repeat(depth)));
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.NOT_JSON;
            }
            case LONG_SENSOR_ID: {
                int chars = Math.max(129, size);
                replace(fields, JsonField.Role.SENSOR_ID, JsonField.quote("s".repeat(chars)));
                PayloadEncoder.writeObject(fields, out);
                return chars <= MAX_STRING_CHARS ? ExpectedRejectReason.INVALID_SENSOR_ID : ExpectedRejectReason.NOT_JSON;
            }
            case LONG_FIELD_NAME: {
                int chars = Math.max(1, size);
                fields.add(new JsonField("n".repeat(chars), null, "1"));
                PayloadEncoder.writeObject(fields, out);
                return chars <= MAX_NAME_CHARS ? null : ExpectedRejectReason.NOT_JSON;
            }
            case HUGE_NUMBER:
                replace(fields, "temperature", "1e400");
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.INVALID_VALUE;
            case LONG_NUMBER:
                replace(fields, "temperature", "1" + "0".repeat(Math.max(MAX_NUMBER_DIGITS, size)));
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.NOT_JSON;
            case MANY_FIELDS: {
                StringBuilder extra = new StringBuilder();
                int n = 0;
                while (length(fields) + extra.length() < size) {
                    extra.append(",\"f").append(n++).append("\":0");
                }
                PayloadEncoder.writeObject(fields, out);
                out.truncate(out.length() - 1);
                out.put(extra.toString()).put((byte) '}');
                return null;
            }
            case BINARY: {
                int n = Math.max(1, size);
                for (int i = 0; i < n; i++) {
                    // 0x80..0xBF alone are continuation bytes: never valid UTF-8 on their own
                    out.put((byte) (0x80 + rng.nextInt(64)));
                }
                return ExpectedRejectReason.NOT_JSON;
            }
            case RAW_NUL:
                fields.add(new JsonField("note", null, "\"a\u0000b\""));
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.NOT_JSON;
            case FAR_FUTURE:
                replace(fields, JsonField.Role.TIMESTAMP, Long.toString(FAR_FUTURE_MS));
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.FUTURE_TIMESTAMP;
            case FAR_FUTURE_BAD_VALUE:
                replace(fields, JsonField.Role.TIMESTAMP, Long.toString(FAR_FUTURE_MS));
                replace(fields, "temperature", "\"hot\"");
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.INVALID_VALUE;
            case REPEATED_FIELD:
                replace(fields, "temperature", "20.5");
                fields.add(new JsonField("temperature", JsonField.Role.MEASUREMENT, "20.5"));
                PayloadEncoder.writeObject(fields, out);
                return ExpectedRejectReason.INVALID_VALUE;
            default:
                throw new IllegalStateException(shape.id());
        }
    }

    private static int length(List<JsonField> fields) {
        int n = 1;
        for (JsonField f : fields) {
            n += f.name().length() + f.rawJson().length() + 4;
        }
        return n;
    }

    private static void replace(List<JsonField> fields, JsonField.Role role, String raw) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).role() == role) {
                fields.set(i, fields.get(i).withRaw(raw));
            }
        }
    }

    /** Sets the field {@code name} to {@code raw}, adding it when the reading lacks it. */
    private static void replace(List<JsonField> fields, String name, String raw) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                fields.set(i, fields.get(i).withRaw(raw));
                return;
            }
        }
        fields.add(new JsonField(name, JsonField.Role.MEASUREMENT, raw));
    }
}
