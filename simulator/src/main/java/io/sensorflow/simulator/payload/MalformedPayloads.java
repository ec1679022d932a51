package io.sensorflow.simulator.payload;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.Tenths;
import io.sensorflow.simulator.payload.JsonField.Role;
import io.sensorflow.simulator.sensor.Prng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a valid reading into a payload with exactly one defect, the one a {@link ExpectedRejectReason}
 * names; the variant (which field, which wrong value) is drawn from the PRNG. Every payload is
 * valid UTF-8 on one line. Rare by design, so allocation here is fine.
 */
public final class MalformedPayloads {

    /** How far ahead a FUTURE_TIMESTAMP is put: far beyond the job's one-day limit. */
    public static final long FUTURE_OFFSET_MS = 3650L * 86_400_000L;

    private final PayloadEncoder encoder;

    public MalformedPayloads(PayloadEncoder encoder) {
        this.encoder = encoder;
    }

    /** Appends to {@code out} a payload for {@code reading} that the job must reject for {@code reason}. */
    public void write(ExpectedRejectReason reason, MessageFacts reading, Prng rng, ByteBuf out) {
        List<JsonField> fields = encoder.fields(reading);
        switch (reason) {
            case EMPTY_PAYLOAD:
                return;
            case NOT_JSON:
                notJson(fields, rng, out);
                return;
            case MISSING_SENSOR_ID:
                fields.removeIf(f -> f.role() == Role.SENSOR_ID);
                break;
            case INVALID_SENSOR_ID:
                replace(fields, Role.SENSOR_ID, invalidSensorId(fields, rng));
                break;
            case MISSING_TIMESTAMP:
                fields.removeIf(f -> f.role() == Role.TIMESTAMP);
                break;
            case INVALID_TIMESTAMP:
                replace(fields, Role.TIMESTAMP, invalidTimestamp(find(fields, Role.TIMESTAMP).rawJson(), rng));
                break;
            case INVALID_VALUE:
                invalidValue(fields, rng);
                break;
            case NO_MEASUREMENT:
                fields.removeIf(f -> f.role() == Role.MEASUREMENT);
                break;
            case OUT_OF_RANGE:
                outOfRange(fields, rng);
                break;
            case FUTURE_TIMESTAMP:
                replace(fields, Role.TIMESTAMP, encoder.timestampJson(reading.eventTime() + FUTURE_OFFSET_MS));
                break;
            default:
                throw new IllegalStateException(reason.name());
        }
        PayloadEncoder.writeObject(fields, out);
    }

    private static void notJson(List<JsonField> fields, Prng rng, ByteBuf out) {
        switch (rng.nextInt(4)) {
            case 0: { // cut off half-way: an unterminated object
                int start = out.length();
                PayloadEncoder.writeObject(fields, out);
                out.truncate(start + (out.length() - start) / 2);
                break;
            }
            case 1: // a top-level array
                out.put((byte) '[')
                        .put(fields.stream().map(JsonField::rawJson).collect(Collectors.joining(",")))
                        .put((byte) ']');
                break;
            case 2: // plain text
                out.put(unquote(fields.get(0).rawJson()) + " " + fields.get(1).name() + "=" + unquote(fields.get(1).rawJson()));
                break;
            default: { // a missing comma between the first two fields
                String all = fields.stream().map(f -> '"' + f.name() + "\":" + f.rawJson()).collect(Collectors.joining(","));
                int firstComma = ('"' + fields.get(0).name() + "\":" + fields.get(0).rawJson()).length();
                out.put("{" + all.substring(0, firstComma) + " " + all.substring(firstComma + 1) + "}");
                break;
            }
        }
    }

    private static String invalidSensorId(List<JsonField> fields, Prng rng) {
        switch (rng.nextInt(4)) {
            case 0:
                return "\"\"";
            case 1: {
                StringBuilder sb = new StringBuilder(unquote(find(fields, Role.SENSOR_ID).rawJson()));
                while (sb.length() < 129) {
                    sb.append('x');
                }
                return JsonField.quote(sb.toString());
            }
            case 2:
                return "42.5";
            default:
                return "{\"id\":42}";
        }
    }

    private static String invalidTimestamp(String valid, Prng rng) {
        boolean numeric = !valid.startsWith("\"");
        if (rng.nextInt(2) == 0) {
            return numeric ? "-" + valid : "\"not-a-time\"";
        }
        if (numeric) {
            return "\"soon\"";
        }
        // The same shape as a valid stamp, with a month, day, hour and minute that do not exist.
        return valid.contains("T") ? "\"2026-13-45T25:61:00.000Z\"" : "\"2026-13-45 25:61:00\"";
    }

    private static void invalidValue(List<JsonField> fields, Prng rng) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Role r = fields.get(i).role();
            if (r == Role.MEASUREMENT || r == Role.SEQ) {
                candidates.add(i);
            }
        }
        int i = candidates.get(rng.nextInt(candidates.size()));
        JsonField f = fields.get(i);
        String raw;
        if (f.role() == Role.SEQ) {
            raw = "\"abc\"";
        } else if (f.name().equals("motion")) {
            raw = "\"yes\"";
        } else {
            String[] wrong = {"\"hot\"", "NaN", "Infinity", "-Infinity"};
            raw = wrong[rng.nextInt(wrong.length)];
        }
        fields.set(i, f.withRaw(raw));
    }

    private static void outOfRange(List<JsonField> fields, Prng rng) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).role() == Role.MEASUREMENT && !fields.get(i).name().equals("motion")) {
                candidates.add(i);
            }
        }
        int i = candidates.get(rng.nextInt(candidates.size()));
        Measurement m = Measurement.fromField(fields.get(i).name());
        int tenths;
        if (m == Measurement.HUMIDITY || rng.nextInt(2) == 0) {
            tenths = m.maxTenths() + 1 + rng.nextInt(500); // above: e.g. humidity 100.1..150.0
        } else {
            tenths = m.minTenths() - 1 - rng.nextInt(m == Measurement.DISTANCE_CM ? m.minTenths() : 500); // below
        }
        fields.set(i, fields.get(i).withRaw(Tenths.toText(tenths)));
    }

    private static JsonField find(List<JsonField> fields, Role role) {
        return fields.stream().filter(f -> f.role() == role).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role + " field"));
    }

    private static void replace(List<JsonField> fields, Role role, String raw) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).role() == role) {
                fields.set(i, fields.get(i).withRaw(raw));
            }
        }
    }

    private static String unquote(String raw) {
        return raw.startsWith("\"") ? raw.substring(1, raw.length() - 1) : raw;
    }
}
