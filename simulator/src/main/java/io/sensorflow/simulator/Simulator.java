package io.sensorflow.simulator;

import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.MessageListener;
import io.sensorflow.oracle.OutcomeOracle;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.output.MessageBatch;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.simulator.output.MessageSinks;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulator as a library. Typical uses:
 * <pre>
 * SimulatorSettings s = SimulatorSettings.builder().sensors(50).count(10_000).seed(7)
 *         .start(Instant.parse("2026-11-21T08:00:00Z")).fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "count=5"))
 *         .bootstrapServers(kafka.bootstrapServers()).build();
 * ExpectedOutcome expected = Simulator.expectedOutcome(s);   // what the job must output
 * RunResult r = Simulator.send(s, true, null);               // into Kafka (or stdout), with the outcome
 * </pre>
 * A simulation is deterministic: the same settings give the same messages, byte for byte.
 */
public final class Simulator {

    private Simulator() {}

    /**
     * The expected outcome of a scenario, without sending anything; with the alerts of
     * {@code settings.rules()} if it has rules, the final watermark taken as the event time reached.
     */
    public static ExpectedOutcome expectedOutcome(SimulatorSettings settings) {
        return expectedOutcome(settings, settings.rules());
    }

    /** As {@link #expectedOutcome(SimulatorSettings)}, with the alerts of {@code rules} (null: none). */
    public static ExpectedOutcome expectedOutcome(SimulatorSettings settings, RuleSet rules) {
        return run(settings, rules).outcome();
    }

    /**
     * The expected outcome with the alerts of {@code rules}, for a job whose event time has reached
     * {@code eventTimeReached} (epoch ms): that decides whether the silence after each sensor's
     * last reading has fired (e.g. the final watermark, or later once the job's idle sources moved
     * it on). The rest of the outcome does not depend on it.
     */
    public static ExpectedOutcome expectedOutcome(SimulatorSettings settings, RuleSet rules, long eventTimeReached) {
        return run(settings, rules).outcome(eventTimeReached);
    }

    /**
     * Every reading of a (small) scenario that the job counts in its aggregates, and so keeps in its
     * archive, in the order they are sent: the scenario is generated again (it is deterministic).
     */
    public static List<io.sensorflow.oracle.AcceptedReading> acceptedReadings(SimulatorSettings settings) {
        Simulation sim = new Simulation(settings);
        OutcomeOracle oracle = new OutcomeOracle(settings.oracle(), sim.sensorIds());
        List<io.sensorflow.oracle.AcceptedReading> accepted = new ArrayList<>();
        oracle.onAccepted(accepted::add);
        sim.run(oracle);
        return accepted;
    }

    private static OutcomeOracle run(SimulatorSettings settings, RuleSet rules) {
        Simulation sim = new Simulation(settings);
        OutcomeOracle oracle = new OutcomeOracle(settings.oracle(), sim.sensorIds(), rules);
        sim.run(oracle);
        return oracle;
    }

    /** Every message of a (small) scenario, in emission order. */
    public static List<GeneratedMessage> messages(SimulatorSettings settings) {
        Simulation sim = new Simulation(settings);
        List<GeneratedMessage> all = new ArrayList<>();
        sim.run((facts, key, payload, length) -> all.add(new GeneratedMessage(
                new String(key, StandardCharsets.UTF_8), Arrays.copyOf(payload, length), facts.copy())));
        return all;
    }

    /** Generates a whole (bounded) scenario into memory, with its expected outcome if asked for. */
    public static Generated generate(SimulatorSettings settings, boolean withOutcome) {
        if (!settings.bounded()) {
            throw new SettingsException("--count", "generating ahead needs a bounded run (--count or --duration)");
        }
        Simulation sim = new Simulation(settings);
        MessageBatch batch = new MessageBatch(sim.sensorIds());
        OutcomeOracle oracle = withOutcome ? new OutcomeOracle(settings.oracle(), sim.sensorIds(), settings.rules()) : null;
        long t0 = System.nanoTime();
        sim.run(oracle == null ? batch : MessageListener.all(batch, oracle));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        RunResult result = new RunResult(sim.readings(), sim.messages(), took, sim.faultStats(),
                oracle == null ? null : oracle.outcome());
        return new Generated(batch, result);
    }

    /** A scenario generated ahead: the messages, and what generating them did and took. */
    public record Generated(MessageBatch batch, RunResult generation) {}

    /** Opens the configured sink (creating the Kafka topic if missing) and runs the scenario into it. */
    public static RunResult send(SimulatorSettings settings, boolean withOutcome, PrintStream progress) {
        try (MessageSink sink = MessageSinks.open(settings)) {
            return send(settings, sink, withOutcome, progress);
        }
    }

    /**
     * Runs the scenario into {@code sink}, at {@code settings.rate()}, printing progress to
     * {@code progress} (may be null), and flushes the sink.
     */
    public static RunResult send(SimulatorSettings settings, MessageSink sink, boolean withOutcome, PrintStream progress) {
        return send(settings, sink, withOutcome, progress, () -> false);
    }

    /**
     * As {@link #send(SimulatorSettings, MessageSink, boolean, PrintStream)}, stopping early (after
     * flushing what was sent) once {@code stopRequested} says so; it is asked every few thousand messages.
     */
    public static RunResult send(SimulatorSettings settings, MessageSink sink, boolean withOutcome, PrintStream progress,
            java.util.function.BooleanSupplier stopRequested) {
        Simulation sim = new Simulation(settings);
        OutcomeOracle oracle = withOutcome ? new OutcomeOracle(settings.oracle(), sim.sensorIds(), settings.rules()) : null;
        MessageListener out = oracle == null ? sink.asListener() : MessageListener.all(sink.asListener(), oracle);
        RatePacer pacer = new RatePacer(settings.rate());
        ProgressReporter reporter = new ProgressReporter(progress, settings.progressInterval());
        long batch = pacer.batch();
        long nextCheck = batch;
        long t0 = System.nanoTime();
        long sent = 0;
        for (int n; (n = sim.step(out)) >= 0; ) {
            sent += n;
            if (sent >= nextCheck) {
                pacer.await(sent);
                reporter.maybeReport(sent);
                nextCheck = sent + batch;
                if (stopRequested.getAsBoolean()) {
                    break;
                }
            }
        }
        sink.flush();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new RunResult(sim.readings(), sim.messages(), took, sim.faultStats(),
                oracle == null ? null : oracle.outcome());
    }

    /** Sends messages generated ahead, at {@code rate} (0: as fast as possible), and flushes the sink. */
    public static RunResult send(Generated generated, MessageSink sink, double rate, Duration progressInterval,
            PrintStream progress) {
        RatePacer pacer = new RatePacer(rate);
        ProgressReporter reporter = new ProgressReporter(progress, progressInterval);
        long batch = pacer.batch();
        long t0 = System.nanoTime();
        generated.batch().sendTo(sink, sent -> {
            if (sent % batch == 0) {
                pacer.await(sent);
                reporter.maybeReport(sent);
            }
        });
        sink.flush();
        RunResult g = generated.generation();
        return new RunResult(g.readings(), g.messages(), Duration.ofNanos(System.nanoTime() - t0), g.faults(), g.expected());
    }
}
