package io.sensorflow.simulator.cli;

import io.sensorflow.durations.Durations;
import io.sensorflow.oracle.ExpectedOutcomeJson;
import io.sensorflow.simulator.OutputKind;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.SettingsException;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.simulator.output.MessageSinks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** What a command does once its options are read: check, generate, send, report. */
final class CliRun {

    private final SimulatorSettings settings;
    private final boolean pregenerate;
    private final Path expectedOut;
    private final PrintStream out;
    private final PrintStream err;

    CliRun(SimulatorSettings settings, boolean pregenerate, Path expectedOut, PrintStream out, PrintStream err) {
        this.out = out;
        this.settings = settings;
        this.pregenerate = pregenerate;
        this.expectedOut = expectedOut;
        this.err = err;
        check();
    }

    private void check() {
        if (expectedOut != null && !settings.bounded()) {
            throw new SettingsException("--expected-out", "needs a bounded run: give --count or --duration");
        }
        if (pregenerate && !settings.bounded()) {
            throw new SettingsException("--pregenerate", "needs a bounded run: give --count or --duration");
        }
        Instant limit = Instant.now().plus(Duration.ofDays(1)).minus(Duration.ofMinutes(5));
        Instant end = lastEventTime();
        if (end != null && end.isAfter(limit)) {
            throw new SettingsException("--start", "event times would reach " + end + ", more than a day ahead of"
                    + " the wall clock, and the job would reject those readings as FUTURE_TIMESTAMP;"
                    + " start earlier or shorten the run");
        }
        if (!settings.bounded() && settings.rate() == 0) {
            err.println("sensorflow-simulator: warning: an unbounded run at full speed runs ahead of the wall clock;"
                    + " past one day ahead the job rejects readings as FUTURE_TIMESTAMP (use --rate or --count)");
        }
    }

    private Instant lastEventTime() {
        if (settings.duration() != null) {
            return settings.start().plus(settings.duration());
        }
        if (settings.count() > 0) {
            long ticks = (settings.count() + settings.sensors() - 1) / settings.sensors();
            return settings.start().plus(settings.interval().multipliedBy(ticks));
        }
        return null;
    }

    int run() throws IOException {
        boolean withOutcome = expectedOut != null;
        err.println("sensorflow-simulator: " + settings);
        RunResult result;
        if (pregenerate) {
            Simulator.Generated g = Simulator.generate(settings, withOutcome);
            RunResult gen = g.generation();
            err.printf("sensorflow-simulator: generated %d messages (%d payload bytes) in %.3f s (%.0f/s)%n",
                    g.batch().size(), g.batch().payloadBytes(), gen.elapsed().toNanos() / 1e9, gen.rate());
            try (MessageSink sink = MessageSinks.open(settings, out)) {
                result = Simulator.send(g, sink, settings.rate(), settings.progressInterval(), err);
            }
        } else {
            StopOnShutdown stop = new StopOnShutdown();
            try (MessageSink sink = MessageSinks.open(settings, out)) {
                result = Simulator.send(settings, sink, withOutcome, err, stop);
            } finally {
                stop.done();
            }
        }
        String where = settings.output() == OutputKind.KAFKA
                ? "Kafka topic " + settings.topic() + " at " + settings.bootstrapServers()
                : settings.output() == OutputKind.MQTT
                ? "MQTT broker " + settings.mqttBroker() + " (sensors/<sensor id>/readings)" : settings.output().cliName();
        err.printf("sensorflow-simulator: sent %d messages (%d readings) to %s in %.3f s: %.0f messages/s%n",
                result.messages(), result.readings(), where, result.elapsed().toNanos() / 1e9, result.rate());
        err.println("sensorflow-simulator: faults: " + result.faults());
        if (withOutcome) {
            ExpectedOutcomeJson.write(result.expected(), expectedOut);
            err.println("sensorflow-simulator: expected outcome (" + result.expected().totals() + ", window "
                    + Durations.format(settings.oracle().windowSize())
                    + (settings.rules() == null ? "" : ", " + result.expected().alerts().size() + " alerts of "
                            + settings.rules().source()) + ") written to " + expectedOut);
        }
        return 0;
    }
}
