package io.sensorflow.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle on hand-made streams; every expected number below was worked out by hand. */
class OutcomeOracleTest {

    /** A minute boundary: 1.8e12 ms = 30,000,000 minutes. */
    private static final long T0 = 1_800_000_000_000L;
    private static final int S1 = 0;
    private static final int S2 = 1;

    private final SensorIds ids = new SensorIds(2, "s", 0);
    private final OracleParameters minuteWindows = OracleParameters.DEFAULTS.withWindowSize(Duration.ofMinutes(1))
            .withOutOfOrderness(Duration.ofSeconds(5)).withWatermarkGranularity(Duration.ofSeconds(1))
            .withAllowedLateness(Duration.ofSeconds(10));

    private static MessageFacts reading(int sensor, long offsetMs, long seq) {
        return new MessageFacts().reading(sensor, T0 + offsetMs, seq);
    }

    private void feed(OutcomeOracle oracle, MessageFacts f) {
        byte[] payload = ("payload-" + f.sensor() + "-" + f.eventTime() + "-" + f.seq()).getBytes(StandardCharsets.UTF_8);
        oracle.onMessage(f, ids.key(f.sensor()), payload, payload.length);
    }

    @Test
    void handCheckedScenario() {
        OutcomeOracle o = new OutcomeOracle(minuteWindows, ids);
        MessageFacts dup1;
        feed(o, reading(S1, 0, 0).value(Measurement.TEMPERATURE, 200).value(Measurement.HUMIDITY, 400)
                .value(Measurement.DISTANCE_CM, 1000).motion(false));
        assertThat(o.watermark()).isEqualTo(T0 - 5001);
        feed(o, reading(S2, 1_000, 0).value(Measurement.TEMPERATURE, 220).value(Measurement.HUMIDITY, 500).motion(true));
        assertThat(o.watermark()).isEqualTo(T0 - 4001);
        feed(o, dup1 = reading(S1, 10_000, 1).value(Measurement.TEMPERATURE, 210).value(Measurement.HUMIDITY, 410)
                .value(Measurement.DISTANCE_CM, 995).motion(true));
        assertThat(o.watermark()).isEqualTo(T0 + 4_999);
        feed(o, dup1.copy());                                                          // duplicate (same seq)
        byte[] bad = "{oops".getBytes(StandardCharsets.UTF_8);
        o.onMessage(new MessageFacts().reading(S2, 0, -1).reject(ExpectedRejectReason.NOT_JSON), ids.key(S2), bad, bad.length);
        MessageFacts dup2;
        feed(o, dup2 = reading(S2, 65_000, 1).value(Measurement.TEMPERATURE, 230).value(Measurement.HUMIDITY, 510));
        assertThat(o.watermark()).isEqualTo(T0 + 59_999);
        // in time for its window (69,999 > 59,999), but behind the watermark: late for rules
        feed(o, reading(S1, 55_000, 2).value(Measurement.TEMPERATURE, 250));
        feed(o, reading(S2, 80_000, 2).value(Measurement.TEMPERATURE, 240).value(Measurement.HUMIDITY, 520));
        assertThat(o.watermark()).isEqualTo(T0 + 74_999);
        feed(o, reading(S1, 59_000, 3).value(Measurement.TEMPERATURE, 300));               // too late: 69,999 <= 74,999
        feed(o, reading(S1, 61_000, 4).value(Measurement.TEMPERATURE, 260).value(Measurement.HUMIDITY, 420)); // late for rules
        feed(o, dup2.copy());                                              // duplicate in window 1: not late for rules
        assertThat(o.watermark()).isEqualTo(T0 + 74_999);

        ExpectedOutcome out = o.outcome();
        assertThat(out.totals()).isEqualTo(new Totals(11, 10, 7, 2, 1, 1));
        assertThat(out.deadLetters()).containsExactly(new ExpectedDeadLetter("s2", "{oops", ExpectedRejectReason.NOT_JSON));
        assertThat(out.lateReadings()).containsExactly(new ExpectedLateReading("s1", T0 + 59_000, T0, T0 + 60_000, 3L,
                "payload-0-" + (T0 + 59_000) + "-3"));
        assertThat(out.aggregates()).containsExactly(
                new WindowAggregate("s1", T0, T0 + 60_000, 3,
                        new MetricStats(3, 20.0, 25.0, 66.0), new MetricStats(2, 40.0, 41.0, 81.0),
                        new MetricStats(2, 99.5, 100.0, 199.5), 2, 1, T0, T0 + 55_000, 1, 1),
                new WindowAggregate("s1", T0 + 60_000, T0 + 120_000, 1,
                        new MetricStats(1, 26.0, 26.0, 26.0), new MetricStats(1, 42.0, 42.0, 42.0),
                        null, 0, 0, T0 + 61_000, T0 + 61_000, 0, 1),
                new WindowAggregate("s2", T0, T0 + 60_000, 1,
                        new MetricStats(1, 22.0, 22.0, 22.0), new MetricStats(1, 50.0, 50.0, 50.0),
                        null, 1, 1, T0 + 1_000, T0 + 1_000, 0, 0),
                new WindowAggregate("s2", T0 + 60_000, T0 + 120_000, 2,
                        new MetricStats(2, 23.0, 24.0, 47.0), new MetricStats(2, 51.0, 52.0, 103.0),
                        null, 0, 0, T0 + 65_000, T0 + 80_000, 1, 0));
        assertThat(out.aggregates().get(0).temperature().avg()).isEqualTo(22.0);
    }

    @Test
    void readingsAtOneTimeWithOtherValuesAllCountAndOnlyAnExactRepeatIsADuplicate() {
        OutcomeOracle o = new OutcomeOracle(minuteWindows, ids);
        feed(o, reading(S1, 0, MessageFacts.NO_SEQ).value(Measurement.TEMPERATURE, 200));
        feed(o, reading(S1, 0, MessageFacts.NO_SEQ).value(Measurement.TEMPERATURE, 210));  // same time, other value
        feed(o, reading(S1, 0, MessageFacts.NO_SEQ).value(Measurement.TEMPERATURE, 200));  // an exact repeat
        feed(o, reading(S1, 0, 3).value(Measurement.TEMPERATURE, 200));                    // with a seq: another reading
        feed(o, reading(S1, 1_000, MessageFacts.NO_SEQ).value(Measurement.TEMPERATURE, 220));
        WindowAggregate a = o.outcome().aggregates().get(0);
        assertThat(a.readingCount()).isEqualTo(4);
        assertThat(a.duplicateCount()).isEqualTo(1);
        assertThat(a.temperature()).isEqualTo(new MetricStats(4, 20.0, 22.0, 83.0));
    }

    @Test
    void aReadingIsLateForRulesOnlyAtOrBehindTheWatermarkAndOnlyItsFirstCopyCounts() {
        OutcomeOracle o = new OutcomeOracle(minuteWindows, ids);
        feed(o, reading(S1, 10_000, 1).value(Measurement.TEMPERATURE, 200));
        assertThat(o.watermark()).isEqualTo(T0 + 4_999);
        feed(o, reading(S1, 5_000, 2).value(Measurement.TEMPERATURE, 200));   // just ahead of it: seen by the rules
        MessageFacts late;
        feed(o, late = reading(S1, 4_999, 3).value(Measurement.TEMPERATURE, 200)); // at it: late for rules
        feed(o, late.copy());                                                  // its repeat: a duplicate only
        MessageFacts onTime;
        feed(o, onTime = reading(S1, 9_000, 4).value(Measurement.TEMPERATURE, 200));
        feed(o, reading(S1, 20_000, 5).value(Measurement.TEMPERATURE, 200));
        assertThat(o.watermark()).isEqualTo(T0 + 14_999);
        feed(o, onTime.copy());                         // a repeat, now behind: it was seen, it is a duplicate
        WindowAggregate a = o.outcome().aggregates().get(0);
        assertThat(a.readingCount()).isEqualTo(5);
        assertThat(a.duplicateCount()).isEqualTo(2);
        assertThat(a.readingsLateForRules()).isEqualTo(1);
    }

    @Test
    void theSameSeqInAnotherWindowIsNotADuplicate() {
        OutcomeOracle o = new OutcomeOracle(minuteWindows, ids);
        feed(o, reading(S1, 59_000, 7).value(Measurement.TEMPERATURE, 200));
        feed(o, reading(S1, 60_000, 7).value(Measurement.TEMPERATURE, 200));
        assertThat(o.outcome().totals().duplicates()).isZero();
        assertThat(o.outcome().aggregates()).hasSize(2);
    }

    @Test
    void tooLateExactlyAtTheBound() {
        // Window 60 s, no out-of-orderness, no lateness, 1 ms granularity: W = maxTs - 1.
        OracleParameters tight = new OracleParameters(60_000, 0, 1, 0);
        OutcomeOracle o = new OutcomeOracle(tight, ids);
        feed(o, reading(S1, 59_998, 0).value(Measurement.TEMPERATURE, 1));
        feed(o, reading(S2, 59_999, 0).value(Measurement.TEMPERATURE, 1));  // W = 59,998: window 0 ends at 59,999 + 0
        feed(o, reading(S1, 59_997, 1).value(Measurement.TEMPERATURE, 1));  // 59,999 <= 59,998? no: in time
        feed(o, reading(S2, 60_000, 1).value(Measurement.TEMPERATURE, 1));  // W = 59,999
        feed(o, reading(S1, 59_999, 2).value(Measurement.TEMPERATURE, 1));  // 59,999 <= 59,999: too late
        ExpectedOutcome out = o.outcome();
        assertThat(out.lateReadings()).extracting(ExpectedLateReading::eventTime).containsExactly(T0 + 59_999);
        assertThat(out.totals().accepted()).isEqualTo(4);
    }

    @Test
    void granularityRoundsTheWatermarkDown() {
        OutcomeOracle o = new OutcomeOracle(OracleParameters.DEFAULTS.withWatermarkGranularity(Duration.ofSeconds(1)), ids);
        feed(o, reading(S1, 12_345, 0).value(Measurement.TEMPERATURE, 1));
        assertThat(o.watermark()).isEqualTo(T0 + 6_999);   // floor((12,345 - 5,000) / 1,000) * 1,000 - 1
        feed(o, reading(S1, 12_000, 1).value(Measurement.TEMPERATURE, 1));
        assertThat(o.watermark()).isEqualTo(T0 + 6_999);   // an earlier reading does not move it back
    }

    @Test
    void tooLateReadingsDoNotMoveTheWatermark() {
        OracleParameters tight = new OracleParameters(60_000, 0, 1, 0);
        OutcomeOracle o = new OutcomeOracle(tight, ids);
        feed(o, reading(S1, 120_000, 0).value(Measurement.TEMPERATURE, 1));
        long w = o.watermark();
        feed(o, reading(S1, 1_000, 1).value(Measurement.TEMPERATURE, 1));
        assertThat(o.watermark()).isEqualTo(w);
        assertThat(o.outcome().lateReadings()).hasSize(1);
    }

    @Test
    void windowsAlignToTheEpoch() {
        OutcomeOracle o = new OutcomeOracle(OracleParameters.DEFAULTS, ids);
        feed(o, reading(S1, 0, 0).value(Measurement.HUMIDITY, 1));   // T0 is 30,000,000 minutes: a 15-minute boundary
        feed(o, reading(S1, 899_999, 1).value(Measurement.HUMIDITY, 1));
        feed(o, reading(S1, 900_000, 2).value(Measurement.HUMIDITY, 1));
        List<WindowAggregate> a = o.outcome().aggregates();
        assertThat(a).extracting(WindowAggregate::windowStart).containsExactly(T0, T0 + 900_000);
        assertThat(a).extracting(WindowAggregate::readingCount).containsExactly(2L, 1L);
    }
}
