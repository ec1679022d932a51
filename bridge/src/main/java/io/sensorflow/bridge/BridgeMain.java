package io.sensorflow.bridge;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * {@code java -jar sensorflow-bridge-*-cli.jar [options]}: runs the bridge until SIGTERM/SIGINT. Exit codes: 0 after
 * a stop, 1 after a failure (Kafka refused a record: nothing was acknowledged that Kafka does not have), 2 for bad
 * settings. Stopped by a signal, the JVM exits with the signal's usual status (143 for SIGTERM, 130 for SIGINT)
 * after the bridge has stopped cleanly.
 */
public final class BridgeMain {

    private BridgeMain() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "sensorflow-bridge-log4j2.xml");
        }
        Bridge bridge;
        try {
            BridgeSettings settings = BridgeSettings.parse(args, System.getenv(), new PrintWriter(System.out, true));
            if (settings == null) {
                return; // --help or --version
            }
            bridge = new Bridge(settings);
        } catch (SettingsException e) {
            System.exit(settingsError(e, System.err));
            return;
        }
        Thread hook = new Thread(() -> {
            if (!bridge.stop()) {
                System.err.println("sensorflow-bridge: did not stop in time; exiting anyway");
            }
        }, "sensorflow-bridge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = bridge.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // A signal stopped the bridge and the JVM is shutting down already: System.exit would wait for the
            // hook forever. The JVM exits by itself once the hook returns.
            return;
        }
        System.exit(code);
    }

    /** Prints a settings error the way the command line does; returns the exit code 2. */
    static int settingsError(SettingsException e, PrintStream err) {
        err.println("sensorflow-bridge: " + e.getMessage());
        err.println("Try 'sensorflow-bridge --help'.");
        return 2;
    }
}
