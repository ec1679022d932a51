package io.sensorflow.simulator.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code generate N}: generate N readings into memory first, then send them as fast as allowed. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = "Generate N readings into memory first, then send them (so sending is timed alone).")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "N", description = "Readings to generate.")
    long count;

    @Mixin
    SimulatorOptions options;

    private final PrintStream out;
    private final PrintStream err;

    GenerateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (options.count() != null) {
            throw new io.sensorflow.simulator.SettingsException("--count", "generate takes the count as its argument N");
        }
        return new CliRun(options.toSettings(count), true, options.expectedOut(), out, err).run();
    }
}
