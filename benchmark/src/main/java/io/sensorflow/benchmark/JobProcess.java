package io.sensorflow.benchmark;

import io.sensorflow.testkit.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link MiniClusterJob} in a JVM of its own: sends it commands, waits for its events, and knows
 * its REST API. Its other output goes to this process's stderr.
 */
final class JobProcess implements AutoCloseable {

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final FlinkRest rest;
    final String jobId;
    final long pid;

    private JobProcess(Process process, int restPort) throws Exception {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.rest = new FlinkRest(URI.create("http://127.0.0.1:" + restPort));
        Thread reader = new Thread(this::readOutput, "job-output");
        reader.setDaemon(true);
        reader.start();
        String[] started = await("STARTED", Duration.ofMinutes(3));
        this.jobId = started[0];
        this.pid = Long.parseLong(started[1]);
        System.err.println("the job's REST API and web UI: http://127.0.0.1:" + restPort + " (job " + jobId + ")");
    }

    /**
     * Starts the job. {@code flink}: the cluster's settings, as in its config.yaml; {@code jvm}: more
     * JVM options (a profiler agent).
     */
    static JobProcess start(String heap, int taskManagers, int slots, Map<String, String> flink, List<String> jvm,
            List<String> jobArgs) throws Exception {
        int port = Ports.freePort();
        List<String> args = new ArrayList<>(List.of(Integer.toString(taskManagers), Integer.toString(slots),
                Integer.toString(port)));
        flink.forEach((k, v) -> args.add("-D" + k + "=" + v));
        args.add("--");
        args.addAll(jobArgs);
        // G1, a TaskManager's collector unless configured otherwise: with gigabytes of state on the heap,
        // ParallelGC's full collections stopped the job for 3 to 6 s each (1,000,000 sensors, 6 GB heap).
        List<String> options = new ArrayList<>(List.of("-XX:+UseG1GC"));
        options.addAll(jvm);
        return new JobProcess(ChildJvm.start(MiniClusterJob.class, heap, options, args), port);
    }

    /** Sends a command and waits for the event that answers it; returns the event's fields. */
    String[] command(String command, String answer, Duration timeout) throws Exception {
        commands.write(command + "\n");
        commands.flush();
        return await(answer, timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private String[] await(String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                String[] f = e.split(" ");
                if (f[0].equals(name)) {
                    return java.util.Arrays.copyOfRange(f, 1, f.length);
                }
                continue;
            }
            if (!process.isAlive() && events.isEmpty()) {
                throw new IllegalStateException("the job's JVM ended (exit " + process.exitValue() + ") before " + name);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + name + " from the job's JVM within " + timeout);
            }
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(MiniClusterJob.EVENT)) {
                    events.add(line.substring(MiniClusterJob.EVENT.length()));
                } else {
                    System.err.println(line);
                }
            }
        } catch (IOException e) {
            System.err.println("job output: " + e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
