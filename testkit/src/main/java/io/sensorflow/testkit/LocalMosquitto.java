package io.sensorflow.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Debian {@code mosquitto} on a free loopback port, configured by the test: anonymous clients, no persistence,
 * logging to a file of ours (run as root, mosquitto drops to the mosquitto user after reading its configuration, so
 * it writes no pid or log file of its own). Session queues are large enough for the tests' outages (the default
 * {@code max_queued_messages} of 1000 would drop messages for a bridge that is away longer).
 *
 * <p>If mosquitto is not installed, {@link #start()} fails with CI=true (CI installs it: .ci/run) and otherwise
 * skips the calling JUnit test, saying why (JUnit's API is an optional dependency of the testkit: only tests use
 * this class).
 */
public final class LocalMosquitto implements AutoCloseable {

    private static final List<String> SEARCH = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin");

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;

    private LocalMosquitto(Path dir, int port, Process process) {
        this.dir = dir;
        this.log = dir.resolve("mosquitto.log");
        this.port = port;
        this.process = process;
    }

    /** Starts mosquitto; skips the calling test (or fails on CI) when it is not installed. */
    public static LocalMosquitto start() {
        Path executable = find();
        if (executable == null) {
            String why = "mosquitto is not installed (Debian: apt-get install mosquitto): the MQTT broker tests need it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI=true, so this is a failure (.ci/run installs it)");
            }
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOn(executable, Ports.freePort());
            } catch (IllegalStateException e) {
                last = e; // the port may have been taken meanwhile
            }
        }
        throw last;
    }

    private static LocalMosquitto startOn(Path executable, int port) {
        Path dir;
        try {
            dir = Files.createTempDirectory("sf-mosquitto-");
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "log_dest stdout",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    "log_type information",
                    "connection_messages true",
                    "max_queued_messages 100000",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p;
        try {
            p = new ProcessBuilder(executable.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        }
        LocalMosquitto m = new LocalMosquitto(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String text = m.log();
                m.close();
                throw new IllegalStateException("mosquitto exited at start (code " + p.exitValue() + "):\n" + text);
            }
            if (accepts(port)) {
                return m;
            }
            sleep(20);
        }
        String text = m.log();
        m.close();
        throw new IllegalStateException("mosquitto did not listen on 127.0.0.1:" + port + " within 10 s:\n" + text);
    }

    /** {@code tcp://127.0.0.1:<port>}, for MQTT clients. */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Everything mosquitto logged so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private static Path find() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SEARCH);
        for (String d : dirs) {
            Path candidate = Path.of(d, "mosquitto");
            if (!d.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
