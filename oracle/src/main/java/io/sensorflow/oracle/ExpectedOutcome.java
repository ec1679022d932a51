package io.sensorflow.oracle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the job must output for a scenario: the window aggregates (sorted by sensor id, then window
 * start), the dead letters and the too-late readings (both in emission order), and the alerts of a
 * rule set (sorted by {@link AlertOracle#ORDER}; empty without rules), under the timing
 * {@code parameters}. Written and read as JSON by {@link ExpectedOutcomeJson}.
 */
public record ExpectedOutcome(
        OracleParameters parameters,
        Totals totals,
        List<WindowAggregate> aggregates,
        List<ExpectedDeadLetter> deadLetters,
        List<ExpectedLateReading> lateReadings,
        List<ExpectedAlert> alerts) {

    public ExpectedOutcome {
        aggregates = List.copyOf(aggregates);
        deadLetters = List.copyOf(deadLetters);
        lateReadings = List.copyOf(lateReadings);
        alerts = alerts == null ? List.of() : List.copyOf(alerts); // null: a file written before alerts existed
    }

    /** An outcome without alerts (no rule set). */
    public ExpectedOutcome(OracleParameters parameters, Totals totals, List<WindowAggregate> aggregates,
            List<ExpectedDeadLetter> deadLetters, List<ExpectedLateReading> lateReadings) {
        this(parameters, totals, aggregates, deadLetters, lateReadings, List.of());
    }

    public Optional<WindowAggregate> aggregate(String sensorId, long windowStart) {
        return aggregates.stream()
                .filter(a -> a.sensorId().equals(sensorId) && a.windowStart() == windowStart)
                .findFirst();
    }

    public Map<ExpectedRejectReason, Long> deadLettersByReason() {
        Map<ExpectedRejectReason, Long> m = new EnumMap<>(ExpectedRejectReason.class);
        deadLetters.forEach(d -> m.merge(d.reason(), 1L, Long::sum));
        return m;
    }

    public void write(Path file) throws IOException {
        ExpectedOutcomeJson.write(this, file);
    }

    public static ExpectedOutcome read(Path file) throws IOException {
        return ExpectedOutcomeJson.read(file);
    }
}
