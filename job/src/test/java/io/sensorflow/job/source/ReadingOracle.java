package io.sensorflow.job.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.sensorflow.job.readings.RejectReason;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the README's reading format says a payload must give, worked out without the parser: the
 * bytes are decoded strictly as UTF-8 first, then read by Jackson's <em>character</em> parser (the
 * job uses its byte parser) with no size limits, and the fields are judged by the README's rules.
 *
 * <p>Where the README leaves a case open (a whitespace-only sensor id, an event time beyond year
 * 285,000, a time string in a form the oracle does not spell out), every answer a careful reader of
 * the README could give is allowed. Payloads with a repeated top-level key are judged only as JSON
 * or not.
 */
final class ReadingOracle {

    /** The README's limit on nesting, and the parser's limits on one string, number and field name. */
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING = 1 << 20;
    static final int MAX_NUMBER = 1000;
    static final int MAX_NAME = 50_000;

    static final double T_MIN = -40, T_MAX = 125, H_MIN = 0, H_MAX = 100, D_MIN = 2, D_MAX = 400;

    private static final long SECONDS_LIMIT = 100_000_000_000L;
    /** Beyond this (about year 287,000) the README gives no answer: rejected as unreadable or as future. */
    private static final long FAR = 9_000_000_000_000_000L;
    private static final BigInteger TWO_62 = BigInteger.ONE.shiftLeft(62);

    private static final JsonFactory UNLIMITED = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build())
            .build();

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern SQL = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    private ReadingOracle() {}

    /** One top-level value as the oracle saw it. */
    record Value(JsonToken token, String text, boolean bigInteger, double number) {
        boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }
    }

    /** The payload as JSON: an object or not, how deep, its longest string and number, its top-level fields. */
    record Syntax(boolean object, int depth, int longestString, int longestNumber, int longestName,
            boolean repeatedKey, Map<String, Value> fields) {

        static final Syntax NOT_AN_OBJECT = new Syntax(false, 0, 0, 0, 0, false, Map.of());

        /** Whether the parser must say NOT_JSON, may say it (a size limit on a value it may skip), or must not. */
        Set<RejectReason> notJsonVerdict() {
            if (!object || depth > MAX_DEPTH) {
                return EnumSet.of(RejectReason.NOT_JSON);
            }
            return EnumSet.noneOf(RejectReason.class);
        }

        boolean mayHitSizeLimit() {
            // Jackson checks a string's or number's length only when the value is read, so a long
            // one in a field the parser skips passes.
            return longestString > MAX_STRING || longestName > MAX_NAME || longestNumber > MAX_NUMBER;
        }
    }

    /** What a reading may come out as: rejected with one of {@code reasons}, or valid if {@code valid}. */
    record Verdict(Set<RejectReason> reasons, boolean valid, Long eventTime) {

        boolean allows(RejectReason reason) {
            return reason == null ? valid : reasons.contains(reason);
        }

        @Override
        public String toString() {
            return (valid ? "valid" + (eventTime == null ? "" : " @" + eventTime) + " or " : "") + reasons;
        }
    }

    static Syntax syntax(byte[] payload) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return Syntax.NOT_AN_OBJECT;
        }
        // RFC 8259 section 8.1: a parser may ignore one byte order mark.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try (JsonParser p = UNLIMITED.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Syntax.NOT_AN_OBJECT;
            }
            int depth = 1;
            int maxDepth = 1;
            int longestString = 0;
            int longestNumber = 0;
            int longestName = 0;
            boolean repeated = false;
            Map<String, Value> fields = new HashMap<>();
            JsonToken t;
            while (depth > 0 && (t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT:
                    case START_ARRAY:
                        maxDepth = Math.max(maxDepth, ++depth);
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        depth--;
                        break;
                    case FIELD_NAME:
                        longestName = Math.max(longestName, p.getTextLength());
                        break;
                    case VALUE_STRING:
                        longestString = Math.max(longestString, p.getTextLength());
                        break;
                    case VALUE_NUMBER_INT:
                    case VALUE_NUMBER_FLOAT:
                        longestNumber = Math.max(longestNumber, p.getTextLength());
                        break;
                    default:
                }
                if (depth == 1 && t.isScalarValue() || depth == 2 && t.isStructStart()) {
                    String name = p.currentName();
                    boolean big = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                    double number = t.isNumeric() ? p.getDoubleValue() : Double.NaN;
                    String valueText = t.isScalarValue() ? p.getText() : null;
                    repeated |= fields.put(name, new Value(t, valueText, big, number)) != null;
                }
            }
            if (depth != 0 || p.nextToken() != null) {
                return Syntax.NOT_AN_OBJECT;
            }
            return new Syntax(true, maxDepth, longestString, longestNumber, longestName, repeated, Map.copyOf(fields));
        } catch (Exception e) {
            return Syntax.NOT_AN_OBJECT;
        }
    }

    /** The verdict on {@code payload} for a job whose clock reads {@code now} and allows {@code maxFutureMs}. */
    static Verdict judge(byte[] payload, long now, long maxFutureMs) {
        return judge(payload, payload == null ? Syntax.NOT_AN_OBJECT : syntax(payload), now, maxFutureMs);
    }

    /** The same, for a payload whose {@link #syntax} is known. */
    static Verdict judge(byte[] payload, Syntax s, long now, long maxFutureMs) {
        if (payload == null || payload.length == 0) {
            return new Verdict(EnumSet.of(RejectReason.EMPTY_PAYLOAD), false, null);
        }
        Set<RejectReason> notJson = s.notJsonVerdict();
        if (!notJson.isEmpty()) {
            return new Verdict(notJson, false, null);
        }
        if (s.repeatedKey()) {
            // Which of the repeated values counts is the parser's choice; only "it is JSON" is judged.
            EnumSet<RejectReason> any = EnumSet.allOf(RejectReason.class);
            any.remove(RejectReason.EMPTY_PAYLOAD);
            if (!s.mayHitSizeLimit()) {
                any.remove(RejectReason.NOT_JSON);
            }
            return new Verdict(any, true, null);
        }
        Verdict v = judgeFields(s.fields(), now, maxFutureMs);
        if (s.mayHitSizeLimit()) {
            EnumSet<RejectReason> reasons = EnumSet.copyOf(v.reasons().isEmpty() ? EnumSet.of(RejectReason.NOT_JSON) : v.reasons());
            reasons.add(RejectReason.NOT_JSON);
            return new Verdict(reasons, v.valid(), v.eventTime());
        }
        return v;
    }

    private enum IdState { MISSING, INVALID, OK, OK_OR_INVALID }

    private static Verdict judgeFields(Map<String, Value> f, long now, long maxFutureMs) {
        EnumSet<RejectReason> reasons = EnumSet.noneOf(RejectReason.class);
        boolean valid = false;

        IdState id = sensorId(present(f, "sensor_id", "sensorId", "device_id"));
        if (id == IdState.MISSING) {
            return new Verdict(EnumSet.of(RejectReason.MISSING_SENSOR_ID), false, null);
        }
        if (id == IdState.INVALID || id == IdState.OK_OR_INVALID) {
            reasons.add(RejectReason.INVALID_SENSOR_ID);
            if (id == IdState.INVALID) {
                return new Verdict(reasons, false, null);
            }
        }

        Value timeValue = present(f, "ts", "timestamp");
        if (timeValue == null) {
            reasons.add(RejectReason.MISSING_TIMESTAMP);
            return new Verdict(reasons, false, null);
        }
        Time time = time(timeValue);
        if (time.invalid) {
            reasons.add(RejectReason.INVALID_TIMESTAMP);
        }

        boolean valueError = false;
        boolean measured = false;
        boolean outOfRange = false;
        for (String name : List.of("temperature", "humidity", "distance_cm")) {
            Value v = f.get(name);
            if (v == null || v.token() == JsonToken.VALUE_NULL) {
                continue;
            }
            if (!v.isNumber() || !Double.isFinite(v.number())) {
                valueError = true;
                continue;
            }
            measured = true;
            double x = v.number();
            outOfRange |= name.equals("temperature") ? !(x >= T_MIN && x <= T_MAX)
                    : name.equals("humidity") ? !(x >= H_MIN && x <= H_MAX) : !(x >= D_MIN && x <= D_MAX);
        }
        Value motion = f.get("motion");
        if (motion != null && motion.token() != JsonToken.VALUE_NULL) {
            boolean ok = motion.token() == JsonToken.VALUE_TRUE || motion.token() == JsonToken.VALUE_FALSE
                    || motion.token() == JsonToken.VALUE_NUMBER_INT && !motion.bigInteger()
                            && (motion.number() == 0 || motion.number() == 1);
            valueError |= !ok;
            measured |= ok;
        }
        Value seq = f.get("seq");
        if (seq != null && seq.token() != JsonToken.VALUE_NULL) {
            boolean ok = seq.token() == JsonToken.VALUE_NUMBER_INT && new BigInteger(seq.text()).signum() >= 0
                    && new BigInteger(seq.text()).compareTo(TWO_62) < 0;
            valueError |= !ok;
        }

        if (time.readable || time.unknown) {
            if (valueError) {
                reasons.add(RejectReason.INVALID_VALUE);
            } else if (!measured) {
                reasons.add(RejectReason.NO_MEASUREMENT);
            } else if (outOfRange) {
                reasons.add(RejectReason.OUT_OF_RANGE);
            } else {
                long ahead = time.unknown ? 0 : time.millis - now;
                if (time.unknown || ahead > maxFutureMs - 5_000) {
                    reasons.add(RejectReason.FUTURE_TIMESTAMP);
                }
                valid = time.unknown || ahead <= maxFutureMs + 5_000;
            }
        }
        return new Verdict(reasons, valid, time.invalid ? null : time.millis);
    }

    /** The first of {@code names} present with a value other than null. */
    private static Value present(Map<String, Value> f, String... names) {
        for (String n : names) {
            Value v = f.get(n);
            if (v != null && v.token() != JsonToken.VALUE_NULL) {
                return v;
            }
        }
        return null;
    }

    private static IdState sensorId(Value v) {
        if (v == null) {
            return IdState.MISSING;
        }
        if (v.token() == JsonToken.VALUE_NUMBER_INT) {
            return v.text().length() <= 128 ? IdState.OK : IdState.INVALID;
        }
        if (v.token() != JsonToken.VALUE_STRING) {
            return IdState.INVALID;
        }
        String s = v.text();
        if (s.isEmpty() || s.codePointCount(0, s.length()) > 128) {
            return IdState.INVALID;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return IdState.INVALID;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return IdState.INVALID;
            }
        }
        // "non-empty": a string of spaces is empty to a reader, not to a program; either answer is right.
        return s.isBlank() ? IdState.OK_OR_INVALID : IdState.OK;
    }

    /** An event time: unreadable, readable (at {@code millis}), or either, or readable at a time the oracle does not work out. */
    private record Time(boolean invalid, boolean readable, boolean unknown, long millis) {
        static final Time INVALID = new Time(true, false, false, 0);
        /** Beyond any real clock: unreadable or from the future, both rejections. */
        static final Time FAR_AHEAD = new Time(true, true, false, Long.MAX_VALUE / 2);
        static final Time UNKNOWN = new Time(true, true, true, 0);

        static Time at(long millis) {
            return millis < 0 ? INVALID : millis >= FAR ? FAR_AHEAD : new Time(false, true, false, millis);
        }
    }

    private static Time time(Value v) {
        switch (v.token()) {
            case VALUE_NUMBER_INT:
                return integral(new BigInteger(v.text()));
            case VALUE_NUMBER_FLOAT: {
                double d = v.number();
                if (!Double.isFinite(d) || d < 0) {
                    return Time.INVALID;
                }
                double ms = d < SECONDS_LIMIT ? d * 1000.0 : d;
                return ms >= FAR ? Time.FAR_AHEAD : Time.at((long) Math.floor(ms));
            }
            case VALUE_STRING:
                return text(v.text());
            default:
                return Time.INVALID;
        }
    }

    private static Time integral(BigInteger n) {
        if (n.signum() < 0) {
            return Time.INVALID;
        }
        if (n.compareTo(BigInteger.valueOf(SECONDS_LIMIT)) < 0) {
            return Time.at(n.longValueExact() * 1000L);
        }
        return n.compareTo(BigInteger.valueOf(FAR)) >= 0 ? Time.FAR_AHEAD : Time.at(n.longValueExact());
    }

    private static Time text(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // A string of digits is read as a number (EventTimes); past 18 digits the README gives no answer.
            return s.length() > 18 ? Time.UNKNOWN : integral(new BigInteger(s));
        }
        Matcher iso = ISO.matcher(s);
        if (iso.matches()) {
            try {
                LocalDateTime local = local(iso);
                ZoneOffset offset = iso.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(iso.group(8));
                return Time.at(local.toEpochSecond(offset) * 1000 + local.getNano() / 1_000_000);
            } catch (DateTimeException e) {
                return Time.INVALID;
            }
        }
        Matcher sql = SQL.matcher(s);
        if (sql.matches()) {
            try {
                LocalDateTime local = local(sql);
                return Time.at(local.toEpochSecond(ZoneOffset.UTC) * 1000 + local.getNano() / 1_000_000);
            } catch (DateTimeException e) {
                return Time.INVALID;
            }
        }
        if (s.chars().noneMatch(Character::isDigit)) {
            return Time.INVALID;
        }
        return Time.UNKNOWN;
    }

    private static LocalDateTime local(Matcher m) {
        String seconds = m.group(6);
        String fraction = m.group(7);
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), seconds == null ? 0 : Integer.parseInt(seconds),
                nanos);
    }
}
