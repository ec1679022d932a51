package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Temperature up by 10 or more within five minutes. */
class RiseRuleHarnessTest {

    static final long S = 1_000L;
    static final long MIN = 60 * S;
    static final RiseRule RISE = new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofMinutes(5));

    private AlertRulesHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AlertRulesHarness(List.of(RISE));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void firesOncePerEpisodeFromTheLowestReadingOfTheWindow() throws Exception {
        h.reading("a", 0, 25);
        h.reading("a", MIN, 20);
        h.reading("a", 2 * MIN, 29);
        h.reading("a", 3 * MIN, 30); // +10 from the 20 at 1 min
        h.reading("a", 4 * MIN, 32); // still rising: same episode
        h.reading("a", 5 * MIN, 26); // +6 from 20: over
        h.reading("a", 6 * MIN, 31); // +10 from... 20 is 5 min back: out of the window; min now 26 → no
        h.watermark(7 * MIN);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleKind).isEqualTo("rise");
        assertThat(a.readingTimes).containsExactly(MIN, 3 * MIN);
        assertThat(a.values).containsExactly(20, 30);
        assertThat(a.alertId).isEqualTo(AlertIds.of("rise", "a", 3 * MIN).toString());
    }

    @Test
    void anEpisodeIsResolvedByThreeReadingsWithoutARiseAndARiseWhileOpenIsNoAlert() throws Exception {
        h.reading("a", 0, 20);
        h.reading("a", MIN, 31); // a rise
        h.reading("a", 2 * MIN, 25); // no rise
        h.reading("a", 3 * MIN, 35); // a rise again, while the first is open: no alert
        h.reading("a", 9 * MIN, 35); // the window holds nothing lower: three without a rise
        h.reading("a", 10 * MIN, 36);
        h.reading("a", 11 * MIN, 37);
        h.reading("a", 12 * MIN, 48); // up 13 from 35: a new episode
        h.watermark(13 * MIN);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanStart / MIN + ".." + a.spanEnd / MIN)
                .containsExactly("FIRING@0..1", "RESOLVED@0..11", "FIRING@9..12");
        Alert resolved = alerts.get(1);
        assertThat(resolved.alertId).isEqualTo(AlertIds.of("rise", "a", MIN).toString());
        assertThat(resolved.readingTimes).containsExactly(0, MIN, 11 * MIN);
        assertThat(resolved.values).containsExactly(20, 31, 37);
        assertThat(resolved.message).isEqualTo("temperature on sensor a not up by 10 within 5m for 3 readings (last 37),"
                + " rising since " + AlertJson.time(0));
        assertThat(h.candidatesSeen).as("the rises that may open (1 and 12 min), and the third reading without a rise"
                + " after one (11 min), carrying its stretch").isEqualTo(3);
    }

    @Test
    void aRiseKeptBackAtOneTimeOpensTheNextEpisodeWhenALaterStretchOfThatTimeResolvesTheOneBefore() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 3,
                Duration.ofSeconds(30), 2, Duration.ZERO)));
        h.reading("a", 0, 10);
        h.reading("a", 10 * S, 13); // up 3 from 10: FIRING
        h.reading("a", 20 * S, 16); // still rising, open
        // At 30 s: 17 rises from 13 (while open: kept back), 12 does not, 15 rises from 12 (a new stretch),
        // 12.5 and 13 do not: the second of them resolves the episode at 30 s, and then the first rise of
        // 30 s, 17's, opens the next one, not 15's.
        for (double v : new double[] {17, 12, 15, 12.5, 13}) {
            h.reading("a", 30 * S, v);
        }
        h.watermark(35 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanStart / S + ".." + a.spanEnd / S)
                .containsExactly("FIRING@0..10", "RESOLVED@0..30", "FIRING@10..30");
        assertThat(alerts.get(2).values).containsExactly(13, 17);
    }

    @Test
    void ofTwoEqualLowestReadingsTheLaterIsTheStart() throws Exception {
        h.reading("a", 0, 20);
        h.reading("a", MIN, 20);
        h.reading("a", 2 * MIN, 30);
        h.watermark(3 * MIN);
        assertThat(h.takeAlerts()).extracting(a -> a.spanStart).containsExactly(MIN);
    }

    @Test
    void aRiseSpreadOverMoreThanTheWindowIsNone() throws Exception {
        for (int i = 0; i <= 20; i++) {
            h.reading("a", i * MIN, 20 + i * 0.5); // +10 over 20 minutes
        }
        h.watermark(21 * MIN);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.candidatesSeen).isZero();
    }
}
