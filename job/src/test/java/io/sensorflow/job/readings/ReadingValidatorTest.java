package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Range and future checks, and the end of the precedence chain (parser, then validator). */
class ReadingValidatorTest {

    /** The wall clock of these tests: 2026-11-21T08:15:03.120Z. */
    private static final long NOW = 1_795_248_903_120L;
    private static final long TEN_MINUTES = 600_000L;

    private final ReadingValidator defaults = new ReadingValidator(PhysicalRanges.DEFAULTS, TEN_MINUTES);

    static Reading reading(double temperature, double humidity, double distanceCm) {
        Reading r = new Reading();
        r.sensorId = "s";
        r.eventTime = NOW - 1_000L;
        r.temperature = temperature;
        r.humidity = humidity;
        r.distanceCm = distanceCm;
        return r;
    }

    static Reading temperature(double t) {
        return reading(t, Double.NaN, Double.NaN);
    }

    static Reading humidity(double h) {
        return reading(Double.NaN, h, Double.NaN);
    }

    static Reading distance(double d) {
        return reading(Double.NaN, Double.NaN, d);
    }

    Reading check(Reading r) {
        return defaults.validate(r, NOW);
    }

    static Reading parse(String json) {
        return ReadingParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultRanges() {
        assertThat(PhysicalRanges.DEFAULTS.temperature.min).isEqualTo(-40.0);
        assertThat(PhysicalRanges.DEFAULTS.temperature.max).isEqualTo(125.0);
        assertThat(PhysicalRanges.DEFAULTS.humidity.min).isEqualTo(0.0);
        assertThat(PhysicalRanges.DEFAULTS.humidity.max).isEqualTo(100.0);
        assertThat(PhysicalRanges.DEFAULTS.distanceCm.min).isEqualTo(2.0);
        assertThat(PhysicalRanges.DEFAULTS.distanceCm.max).isEqualTo(400.0);
    }

    @Test
    void temperatureBoundsAreInclusive() {
        assertThat(check(temperature(-40.0)).isValid()).isTrue();
        assertThat(check(temperature(125.0)).isValid()).isTrue();
        assertThat(check(temperature(21.4)).isValid()).isTrue();
        assertThat(check(temperature(-40.01)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(temperature(125.01)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(temperature(-273.15)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(temperature(1e23)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void humidityBoundsAreInclusive() {
        assertThat(check(humidity(0.0)).isValid()).isTrue();
        assertThat(check(humidity(100.0)).isValid()).isTrue();
        assertThat(check(humidity(-0.01)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(humidity(100.01)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void distanceBoundsAreInclusive() {
        assertThat(check(distance(2.0)).isValid()).isTrue();
        assertThat(check(distance(400.0)).isValid()).isTrue();
        assertThat(check(distance(1.99)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(distance(400.01)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(distance(0.0)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void outOfRangeDetailNamesTheMeasurement() {
        Reading r = check(humidity(120.0));
        assertThat(r.rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(r.rejectDetail).contains("humidity");
        assertThat(check(distance(500.0)).rejectDetail).contains("distance");
        assertThat(check(temperature(500.0)).rejectDetail).contains("temperature");
    }

    @Test
    void absentMeasurementsAreNotRangeChecked() {
        Reading motionOnly = reading(Double.NaN, Double.NaN, Double.NaN);
        motionOnly.motion = 1;
        assertThat(check(motionOnly).isValid()).isTrue();
    }

    @Test
    void oneOutOfRangeValueAmongGoodOnes() {
        assertThat(check(reading(21.0, 50.0, 500.0)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(reading(21.0, 150.0, 100.0)).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(check(reading(21.0, 50.0, 100.0)).isValid()).isTrue();
    }

    @Test
    void customRanges() {
        ReadingValidator greenhouse = new ReadingValidator(new PhysicalRanges(
                PhysicalRanges.Range.of(0, 50), PhysicalRanges.Range.of(10, 90), PhysicalRanges.Range.of(5, 200)), TEN_MINUTES);
        assertThat(greenhouse.validate(temperature(-1.0), NOW).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(greenhouse.validate(temperature(0.0), NOW).isValid()).isTrue();
        assertThat(greenhouse.validate(temperature(50.0), NOW).isValid()).isTrue();
        assertThat(greenhouse.validate(temperature(51.0), NOW).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(greenhouse.validate(humidity(9.9), NOW).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(greenhouse.validate(humidity(90.0), NOW).isValid()).isTrue();
        assertThat(greenhouse.validate(distance(4.0), NOW).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(greenhouse.validate(distance(201.0), NOW).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void rangeParse() {
        PhysicalRanges.Range r = PhysicalRanges.Range.parse("-40..125");
        assertThat(r.min).isEqualTo(-40.0);
        assertThat(r.max).isEqualTo(125.0);
        PhysicalRanges.Range f = PhysicalRanges.Range.parse("1.5..2.5");
        assertThat(f.min).isEqualTo(1.5);
        assertThat(f.max).isEqualTo(2.5);
        PhysicalRanges.Range n = PhysicalRanges.Range.parse("-10..-1");
        assertThat(n.min).isEqualTo(-10.0);
        assertThat(n.max).isEqualTo(-1.0);
        PhysicalRanges.Range same = PhysicalRanges.Range.parse("5..5");
        assertThat(same.contains(5.0)).isTrue();
        assertThat(same.contains(5.0001)).isFalse();
        assertThat(PhysicalRanges.Range.of(-40, 125).toString()).isEqualTo("-40..125");
        assertThat(PhysicalRanges.Range.of(0.5, 99.5).toString()).isEqualTo("0.5..99.5");
    }

    @Test
    void badRanges() {
        assertThatThrownBy(() -> PhysicalRanges.Range.parse("5..1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalRanges.Range.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalRanges.Range.parse("1..x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalRanges.Range.parse("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalRanges.Range.parse("1-5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalRanges.Range.of(5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- future ----------------------------------------------------------------------------------

    @Test
    void futureTimestamp() {
        Reading atLimit = temperature(20.0);
        atLimit.eventTime = NOW + TEN_MINUTES;
        assertThat(defaults.validate(atLimit, NOW).isValid()).isTrue();

        Reading beyond = temperature(20.0);
        beyond.eventTime = NOW + TEN_MINUTES + 1;
        assertThat(defaults.validate(beyond, NOW).rejectReason).isEqualTo(RejectReason.FUTURE_TIMESTAMP);

        Reading year2100 = temperature(20.0);
        year2100.eventTime = 4_102_444_800_000L;
        assertThat(defaults.validate(year2100, NOW).rejectReason).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
    }

    @Test
    void pastIsNeverTooFar() {
        Reading old = temperature(20.0);
        old.eventTime = 0L;
        assertThat(defaults.validate(old, NOW).isValid()).isTrue();
        Reading lastYear = temperature(20.0);
        lastYear.eventTime = 1_763_712_000_000L;
        assertThat(defaults.validate(lastYear, NOW).isValid()).isTrue();
    }

    @Test
    void maxFutureIsConfigurable() {
        ReadingValidator strict = new ReadingValidator(PhysicalRanges.DEFAULTS, 0L);
        Reading now = temperature(20.0);
        now.eventTime = NOW;
        assertThat(strict.validate(now, NOW).isValid()).isTrue();
        Reading oneMs = temperature(20.0);
        oneMs.eventTime = NOW + 1;
        assertThat(strict.validate(oneMs, NOW).rejectReason).isEqualTo(RejectReason.FUTURE_TIMESTAMP);

        ReadingValidator lenient = new ReadingValidator(PhysicalRanges.DEFAULTS, 86_400_000L);
        Reading tomorrow = temperature(20.0);
        tomorrow.eventTime = NOW + 86_400_000L;
        assertThat(lenient.validate(tomorrow, NOW).isValid()).isTrue();
    }

    @Test
    void outOfRangeBeatsFuture() {
        Reading r = temperature(500.0);
        r.eventTime = NOW + 3_600_000L;
        assertThat(check(r).rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void alreadyRejectedReadingsStayAsTheyAre() {
        Reading r = temperature(500.0);
        r.eventTime = NOW + 3_600_000L;
        r.reject(RejectReason.INVALID_VALUE, "humidity must be a number");
        assertThat(check(r).rejectReason).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(r.rejectDetail).isEqualTo("humidity must be a number");
    }

    // --- the whole chain, parse then validate -----------------------------------------------------

    Reading parseAndCheck(String json) {
        return defaults.validate(parse(json), NOW);
    }

    @Test
    void chainValidReading() {
        Reading r = parseAndCheck("{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}");
        assertThat(r.isValid()).isTrue();
    }

    @Test
    void chainOutOfRange() {
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2026-11-21T08:15:03Z\",\"temperature\":125.5}").rejectReason)
                .isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2026-11-21T08:15:03Z\",\"humidity\":-1}").rejectReason)
                .isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2026-11-21T08:15:03Z\",\"distance_cm\":1}").rejectReason)
                .isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void chainFuture() {
        // 2026-11-21T09:15:03Z is an hour after NOW
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2026-11-21T09:15:03Z\",\"temperature\":20}").rejectReason)
                .isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        // 99999999999 seconds is the year 5138
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":99999999999,\"temperature\":20}").rejectReason)
                .isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        // 10^11 milliseconds is March 1973: not in the future
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":100000000000,\"temperature\":20}").isValid()).isTrue();
    }

    @Test
    void chainPrecedence() {
        // INVALID_VALUE > OUT_OF_RANGE
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2026-11-21T08:15:03Z\",\"temperature\":500,\"humidity\":\"x\"}")
                .rejectReason).isEqualTo(RejectReason.INVALID_VALUE);
        // INVALID_VALUE > FUTURE_TIMESTAMP
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2030-01-01T00:00:00Z\",\"temperature\":NaN}").rejectReason)
                .isEqualTo(RejectReason.INVALID_VALUE);
        // NO_MEASUREMENT > FUTURE_TIMESTAMP
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2030-01-01T00:00:00Z\"}").rejectReason)
                .isEqualTo(RejectReason.NO_MEASUREMENT);
        // OUT_OF_RANGE > FUTURE_TIMESTAMP
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"2030-01-01T00:00:00Z\",\"humidity\":101}").rejectReason)
                .isEqualTo(RejectReason.OUT_OF_RANGE);
        // timestamp > everything after it
        assertThat(parseAndCheck("{\"sensor_id\":\"s\",\"ts\":\"soon\",\"humidity\":101}").rejectReason)
                .isEqualTo(RejectReason.INVALID_TIMESTAMP);
        // sensor id > everything after it
        assertThat(parseAndCheck("{\"ts\":\"2030-01-01T00:00:00Z\",\"humidity\":101}").rejectReason)
                .isEqualTo(RejectReason.MISSING_SENSOR_ID);
        // NOT_JSON > everything
        assertThat(parseAndCheck("{\"sensor_id\":\"\",\"ts\":\"2030-01-01T00:00:00Z\",\"humidity\":101").rejectReason)
                .isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void everyReasonHasAStableCode() {
        assertThat(RejectReason.values()).extracting(Enum::name).containsExactlyInAnyOrder(
                "EMPTY_PAYLOAD", "NOT_JSON", "MISSING_SENSOR_ID", "INVALID_SENSOR_ID", "MISSING_TIMESTAMP",
                "INVALID_TIMESTAMP", "INVALID_VALUE", "NO_MEASUREMENT", "OUT_OF_RANGE", "FUTURE_TIMESTAMP");
        for (RejectReason reason : RejectReason.values()) {
            assertThat(reason.description()).isNotBlank();
        }
    }
}
