package io.sensorflow.job.readings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;

/**
 * Reads one JSON payload into a {@link Reading}. It never throws: whatever the bytes, the result
 * is a valid reading or one rejected with a reason, so a bad payload cannot fail the job.
 *
 * <p>It uses Jackson's streaming parser rather than data binding: one pass, no reflection, and
 * the field names come from Jackson's symbol table, so the only per-reading garbage is the
 * sensor id and the parser itself. The table is shared by all parsers and kept small
 * ({@link #MAX_SHARED_NAMES}): names that keep coming stay in it, names that come once do not
 * pile up.
 *
 * <p>When a payload has several defects, the reason reported is the first of: not JSON, sensor
 * id, event time, a value of the wrong type, no measurement (range and future checks are
 * {@link ReadingValidator}'s). A field the parser reads, given twice, is a defect of its kind (an
 * invalid sensor id, event time or value): which of the two the sensor meant cannot be told.
 */
public final class ReadingParser {

    public static final int MAX_SENSOR_ID_LENGTH = 128;

    /**
     * How many field names Jackson's shared symbol table may hold before it is dropped. A reading
     * has ten names the parser reads and a few more it skips; a table that grows past that holds
     * names that came once (a producer that puts ids or times in keys, or a hostile payload), and
     * every parser that meets a name not in the table copies the whole table before it adds the name:
     * with Jackson's own limit (6,000 names) that is about 200 KB per reading.
     */
    static final int MAX_SHARED_NAMES = 64;

    private static volatile Factory json = new Factory();

    /** Jackson's factory, with a look at its shared symbol table. */
    private static final class Factory extends JsonFactory {
        private static final long serialVersionUID = 1L;

        Factory() {
            super(new JsonFactoryBuilder()
                    // NaN and Infinity tokens are read so they can be rejected as values, not as syntax.
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    // FastDoubleParser (inside Jackson) instead of the JDK's FloatingDecimal.
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    // Names are still canonicalized (without it Jackson reads a byte[] through a
                    // Reader, much slower), but not String.intern()ed: every new name would go into
                    // the JVM's string table, ~1 us each, through InternCache's lock.
                    .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                    // Bounds on what a hostile payload can make the parser hold; a reading needs far less.
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxStringLength(1 << 20)
                            .build()));
        }

        int sharedNames() {
            return _byteSymbolCanonicalizer.size();
        }
    }

    private ReadingParser() {}

    public static Reading parse(byte[] payload) {
        return parse(payload, new Reading());
    }

    private static boolean hasNulInFirstFourBytes(byte[] payload) {
        for (int i = 0, n = Math.min(4, payload.length); i < n; i++) {
            if (payload[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Fills {@code reading} from {@code payload} and returns it. */
    public static Reading parse(byte[] payload, Reading reading) {
        if (payload == null || payload.length == 0) {
            return reading.reject(RejectReason.EMPTY_PAYLOAD, "empty payload");
        }
        if (!Utf8.isValid(payload)) {
            // Jackson decodes overlong forms and encoded surrogates without complaint.
            return reading.reject(RejectReason.NOT_JSON, "the payload is not valid UTF-8");
        }
        if (hasNulInFirstFourBytes(payload)) {
            // Valid UTF-8 JSON never has a NUL there, but Jackson takes one for UTF-16 or UTF-32
            // (guessing the encoding from where the zero bytes are) and would read such a payload.
            return reading.reject(RejectReason.NOT_JSON, "the payload is not UTF-8 JSON (a NUL byte at its start)");
        }
        Fields fields = new Fields();
        Factory factory = json;
        try (JsonParser p = factory.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return reading.reject(RejectReason.NOT_JSON, "the payload is not a JSON object");
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken value = p.nextToken();
                readField(name, value, p, reading, fields);
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return reading.reject(RejectReason.NOT_JSON, "content after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            // Jackson reports syntax, encoding and size-limit problems as exceptions.
            return reading.reject(RejectReason.NOT_JSON, firstLine(e.getMessage()));
        } finally {
            // The parser, closed, has merged the names it met into the shared table.
            if (factory.sharedNames() > MAX_SHARED_NAMES) {
                json = new Factory();
            }
        }
        return fields.decide(reading);
    }

    private static void readField(String name, JsonToken value, JsonParser p, Reading r, Fields f)
            throws IOException {
        switch (name) {
            case "sensor_id":
                if (f.first(Fields.SENSOR_ID, name, p)) {
                    f.sensorId(3, value, p);
                }
                break;
            case "sensorId":
                if (f.first(Fields.SENSOR_ID_CAMEL, name, p)) {
                    f.sensorId(2, value, p);
                }
                break;
            case "device_id":
                if (f.first(Fields.DEVICE_ID, name, p)) {
                    f.sensorId(1, value, p);
                }
                break;
            case "ts":
                if (f.first(Fields.TS, name, p)) {
                    f.time(2, value, p);
                }
                break;
            case "timestamp":
                if (f.first(Fields.TIMESTAMP, name, p)) {
                    f.time(1, value, p);
                }
                break;
            case "temperature":
                if (f.first(Fields.TEMPERATURE, name, p)) {
                    r.temperature = f.measurement(name, value, p);
                }
                break;
            case "humidity":
                if (f.first(Fields.HUMIDITY, name, p)) {
                    r.humidity = f.measurement(name, value, p);
                }
                break;
            case "distance_cm":
                if (f.first(Fields.DISTANCE_CM, name, p)) {
                    r.distanceCm = f.measurement(name, value, p);
                }
                break;
            case "motion":
                if (f.first(Fields.MOTION, name, p)) {
                    r.motion = f.motion(value, p);
                }
                break;
            case "seq":
                if (f.first(Fields.SEQ, name, p)) {
                    r.seq = f.seq(value, p);
                }
                break;
            default:
                p.skipChildren();
        }
    }

    /** Jackson's message, first line, at most 200 characters, without the control characters it may echo. */
    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        if (line.length() > 200) {
            line = line.substring(0, 200);
        }
        StringBuilder clean = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            clean.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return clean.toString();
    }

    /** What the fields said, held until the whole object is read. */
    private static final class Fields {
        // One bit per field name the parser reads, to find a name given twice.
        static final int SENSOR_ID = 1;
        static final int SENSOR_ID_CAMEL = 1 << 1;
        static final int DEVICE_ID = 1 << 2;
        static final int TS = 1 << 3;
        static final int TIMESTAMP = 1 << 4;
        static final int TEMPERATURE = 1 << 5;
        static final int HUMIDITY = 1 << 6;
        static final int DISTANCE_CM = 1 << 7;
        static final int MOTION = 1 << 8;
        static final int SEQ = 1 << 9;
        private static final int ID_NAMES = SENSOR_ID | SENSOR_ID_CAMEL | DEVICE_ID;
        private static final int TIME_NAMES = TS | TIMESTAMP;

        int seen;
        String repeatedId;
        String repeatedTime;
        int sensorIdPriority;
        String sensorId;
        String sensorIdError;
        int timePriority;
        long time = EventTimes.INVALID;
        String timeError;
        String valueError;
        boolean measured;

        /**
         * Whether this is the first time the payload gives {@code field}. A field given twice makes
         * the reading ambiguous (which value is the sensor's?), so it is rejected, and the value
         * given again is skipped unread: a payload that repeats a field costs no more per byte
         * than one that does not.
         */
        boolean first(int field, String name, JsonParser p) throws IOException {
            if ((seen & field) == 0) {
                seen |= field;
                return true;
            }
            if ((field & ID_NAMES) != 0) {
                if (repeatedId == null) {
                    repeatedId = name;
                }
            } else if ((field & TIME_NAMES) != 0) {
                if (repeatedTime == null) {
                    repeatedTime = name;
                }
            } else if (valueError == null) {
                valueError = name + " is given more than once";
            }
            p.skipChildren();
            return false;
        }

        void sensorId(int priority, JsonToken token, JsonParser p) throws IOException {
            if (priority < sensorIdPriority || token == JsonToken.VALUE_NULL) {
                p.skipChildren();
                return;
            }
            sensorIdPriority = priority;
            sensorId = null;
            sensorIdError = null;
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                String id = p.getText();
                if (id.isBlank()) {
                    sensorIdError = p.currentName() + " is empty";
                } else if (id.codePointCount(0, id.length()) > MAX_SENSOR_ID_LENGTH) {
                    sensorIdError = p.currentName() + " is longer than " + MAX_SENSOR_ID_LENGTH + " characters";
                } else if (hasUnprintableCharacter(id)) {
                    sensorIdError = p.currentName() + " contains a control character or an unpaired surrogate";
                } else {
                    sensorId = id;
                }
            } else {
                sensorIdError = p.currentName() + " must be a string or an integer, not " + describe(token);
                p.skipChildren();
            }
        }

        void time(int priority, JsonToken token, JsonParser p) throws IOException {
            if (priority < timePriority || token == JsonToken.VALUE_NULL) {
                p.skipChildren();
                return;
            }
            timePriority = priority;
            timeError = null;
            switch (token) {
                case VALUE_NUMBER_INT:
                    time = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? EventTimes.INVALID
                            : EventTimes.fromLong(p.getLongValue());
                    break;
                case VALUE_NUMBER_FLOAT:
                    time = EventTimes.fromNumber(p.getDoubleValue());
                    break;
                case VALUE_STRING:
                    time = EventTimes.fromText(p.getText());
                    break;
                default:
                    time = EventTimes.INVALID;
                    p.skipChildren();
            }
            if (time == EventTimes.INVALID) {
                timeError = p.currentName() + " is not a time after 1970 (" + describe(token) + ")";
            }
        }

        double measurement(String name, JsonToken token, JsonParser p) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double v = p.getDoubleValue();
                if (Double.isFinite(v)) {
                    measured = true;
                    return v;
                }
                valueError(name + " is not a finite number");
            } else if (token != JsonToken.VALUE_NULL) {
                valueError(name + " must be a number, not " + describe(token));
                p.skipChildren();
            }
            return Double.NaN;
        }

        byte motion(JsonToken token, JsonParser p) throws IOException {
            switch (token) {
                case VALUE_TRUE:
                    measured = true;
                    return 1;
                case VALUE_FALSE:
                    measured = true;
                    return 0;
                case VALUE_NUMBER_INT:
                    if (p.getNumberType() == JsonParser.NumberType.INT && (p.getIntValue() == 0 || p.getIntValue() == 1)) {
                        measured = true;
                        return (byte) p.getIntValue();
                    }
                    valueError("motion must be true, false, 0 or 1");
                    return Reading.MOTION_ABSENT;
                case VALUE_NULL:
                    return Reading.MOTION_ABSENT;
                default:
                    valueError("motion must be true, false, 0 or 1, not " + describe(token));
                    p.skipChildren();
                    return Reading.MOTION_ABSENT;
            }
        }

        long seq(JsonToken token, JsonParser p) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return Reading.SEQ_ABSENT;
            }
            if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long seq = p.getLongValue();
                // The identity shifts seq left by one bit.
                if (seq >= 0 && seq < (1L << 62)) {
                    return seq;
                }
            }
            valueError("seq must be an integer from 0 to 2^62, not " + describe(token));
            p.skipChildren();
            return Reading.SEQ_ABSENT;
        }

        private void valueError(String message) {
            if (valueError == null) {
                valueError = message;
            }
        }

        Reading decide(Reading r) {
            if (repeatedId != null) {
                return r.reject(RejectReason.INVALID_SENSOR_ID, repeatedId + " is given more than once");
            }
            if (sensorIdError != null) {
                return r.reject(RejectReason.INVALID_SENSOR_ID, sensorIdError);
            }
            if (sensorId == null) {
                return r.reject(RejectReason.MISSING_SENSOR_ID, RejectReason.MISSING_SENSOR_ID.description());
            }
            r.sensorId = sensorId;
            if (repeatedTime != null) {
                r.eventTime = Long.MIN_VALUE;
                return r.reject(RejectReason.INVALID_TIMESTAMP, repeatedTime + " is given more than once");
            }
            if (timeError != null) {
                r.eventTime = Long.MIN_VALUE;
                return r.reject(RejectReason.INVALID_TIMESTAMP, timeError);
            }
            if (time == EventTimes.INVALID) {
                r.eventTime = Long.MIN_VALUE;
                return r.reject(RejectReason.MISSING_TIMESTAMP, RejectReason.MISSING_TIMESTAMP.description());
            }
            r.eventTime = time;
            if (valueError != null) {
                return r.reject(RejectReason.INVALID_VALUE, valueError);
            }
            if (!measured) {
                return r.reject(RejectReason.NO_MEASUREMENT, RejectReason.NO_MEASUREMENT.description());
            }
            return r;
        }

        private static boolean hasUnprintableCharacter(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c)) {
                    return true;
                }
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true; // an escaped lone surrogate cannot be stored as UTF-8
                }
            }
            return false;
        }

        private static String describe(JsonToken token) {
            switch (token) {
                case START_OBJECT:
                    return "an object";
                case START_ARRAY:
                    return "an array";
                case VALUE_STRING:
                    return "a string";
                case VALUE_NUMBER_INT:
                    return "an integer";
                case VALUE_NUMBER_FLOAT:
                    return "a decimal number";
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return "a boolean";
                default:
                    return String.valueOf(token);
            }
        }
    }
}
