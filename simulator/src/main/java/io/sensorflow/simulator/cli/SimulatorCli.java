package io.sensorflow.simulator.cli;

import io.sensorflow.simulator.SettingsException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The command line: {@code sensorflow-simulator [options]} and {@code sensorflow-simulator generate N [options]}. */
@Command(name = "sensorflow-simulator", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        version = "sensorflow-simulator 0.1.0",
        description = {
            "Sends readings of virtual sensors (DHT11, HC-SR04, PIR) to Kafka or stdout, deterministically"
                    + " (same seed, same bytes), with faults on demand, and writes the outcome the job must produce.",
            "Durations: " + io.sensorflow.durations.Durations.SYNTAX + "."},
        subcommands = GenerateCommand.class)
public final class SimulatorCli implements Callable<Integer> {

    @Mixin
    SimulatorOptions options;

    private final PrintStream out;
    private final PrintStream err;

    SimulatorCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        return new CliRun(options.toSettings(null), options.pregenerate(), options.expectedOut(), out, err).run();
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "sensorflow-simulator-log4j2.xml");
        }
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code (0 done, 1 failed, 2 bad options). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd = commandLine(out, err);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(new SimulatorCli(out, err), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == GenerateCommand.class) {
                    return cls.cast(new GenerateCommand(out, err));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SettingsException) {
                commandLine.getErr().println("sensorflow-simulator: " + e.getMessage());
                commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
                return 2;
            }
            commandLine.getErr().println("sensorflow-simulator: failed: " + e);
            return 1;
        });
        cmd.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("sensorflow-simulator: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cmd;
    }
}
