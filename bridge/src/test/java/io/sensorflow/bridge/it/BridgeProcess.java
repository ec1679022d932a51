package io.sensorflow.bridge.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bridge in a JVM of its own, as it runs in production: the runnable jar ({@code -Dsensorflow.bridge.jar}, set by
 * failsafe) or, from an IDE, the test class path. It can be killed (SIGKILL: no clean shutdown, no flush) or
 * terminated (SIGTERM: the clean shutdown).
 */
final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private BridgeProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    static BridgeProcess start(Path dir, String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small, quickly started JVM: the bridge needs little.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String jar = System.getProperty("sensorflow.bridge.jar");
        if (jar != null && new File(jar).isFile()) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-Dlog4j2.configurationFile=sensorflow-bridge-log4j2.xml",
                    "-cp", System.getProperty("java.class.path"), "io.sensorflow.bridge.BridgeMain"));
        }
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new BridgeProcess(p, log, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until the bridge logs {@code text}; fails with the log if it does not, or if the process ends. */
    BridgeProcess awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before logging '" + text + "':\n" + log());
            }
            sleep(50);
        }
        throw new AssertionError(name + " did not log '" + text + "' within " + timeout + ":\n" + log());
    }

    /** SIGKILL: the bridge gets no chance to flush or acknowledge anything. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM; returns the exit code. */
    int terminate(Duration timeout) {
        process.destroy();
        if (!waitFor(timeout)) {
            throw new AssertionError(name + " did not stop within " + timeout + " of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
