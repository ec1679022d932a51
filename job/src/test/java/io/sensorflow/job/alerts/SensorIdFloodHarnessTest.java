package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Rule;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flood of distinct sensor ids, each sending a reading or two, many of them extreme and never
 * breaking their run: the alert operators must hold state for each only until
 * {@code --forget-sensor-after} ({@link AlertRulesHarness#FORGET_AFTER}) has passed since its
 * last reading, and then nothing at all: no selector entry, no keyed state, no timer.
 */
class SensorIdFloodHarnessTest {

    static final long MIN = 60_000L;
    static final int SENSORS = 200_000;

    @Test
    void aFloodOfNewIdsLeavesNoStateOnceTheyAreForgotten() throws Exception {
        List<Rule> rules = List.of(SequenceRuleHarnessTest.HOT, RiseRuleHarnessTest.RISE, SilenceRuleHarnessTest.QUIET);
        try (AlertRulesHarness h = new AlertRulesHarness(rules)) {
            SelectAlertCandidates selector = (SelectAlertCandidates) h.selector.getOperator();
            long heapBefore = usedHeapAfterGc();
            long span = 10 * MIN;
            for (int i = 0; i < SENSORS; i++) {
                long t = 1 + i * span / SENSORS; // not 0: FlinkCEP keeps the state of an event at the epoch itself
                // Every third sensor starts a run over 70 °C that no reading ever ends.
                h.reading("flood-" + i, t, i % 3 == 0 ? 90 : 20);
                if (i % 1000 == 0) {
                    h.watermark(t - 5_000);
                }
            }
            h.watermark(span);
            long heapFlooded = usedHeapAfterGc();
            assertThat(selector.trackedSensors()).as("the latest reading of each, for the silence rule")
                    .isGreaterThanOrEqualTo(SENSORS);

            // Every silence fires 5 minutes after its reading, and is forgotten an hour after that.
            long forgotten = span + 5 * MIN + AlertRulesHarness.FORGET_AFTER.toMillis() + MIN;
            for (long w = span; w <= forgotten; w += MIN) {
                h.watermark(w);
                h.takeAlerts();
            }
            h.snapshot(1); // the selector lets go of sensors when it writes its state
            h.dropSlots();
            assertThat(selector.trackedSensors()).as("selector entries once forgotten").isZero();
            for (var downstream : h.downstream) {
                assertThat(downstream.numKeyedStateEntries()).as("keyed state once forgotten").isZero();
                assertThat(downstream.numEventTimeTimers()).as("timers once forgotten").isZero();
            }
            long heapAfter = usedHeapAfterGc();
            System.out.printf("sensor id flood: %,d ids; heap used %,d MB before, %,d MB flooded (%,d bytes per sensor in"
                    + " the selector, CEP and the harness), %,d MB once forgotten%n", SENSORS,
                    heapBefore >> 20, heapFlooded >> 20, (heapFlooded - heapBefore) / SENSORS, heapAfter >> 20);
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
