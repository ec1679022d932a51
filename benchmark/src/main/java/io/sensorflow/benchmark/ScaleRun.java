package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.oracle.WindowAggregate;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Many distinct sensors with the default rules (silence detection on), on one state backend: the
 * simulator sends a history in which every sensor reads, then goes on live; the job (unbounded, in
 * a JVM of its own) catches up with the history, then keeps up with the live readings while it
 * checkpoints the state of every sensor. Measured then: checkpoint size and time (Flink's REST
 * API, and the checkpoint directory on disk), the JVM's heap after a full GC and its resident
 * memory, the input rates. At the end the simulator stops, the job drains (stop with savepoint,
 * final watermark) and every aggregate row and alert is checked against the simulator's oracle.
 */
final class ScaleRun {

    /** What a run is made of; see the --scale-* options of {@link PipelineBenchmark}. */
    record Settings(int sensors, Duration interval, Duration history, Duration steady, String checkpointInterval,
            String heap, String managedMemory, int parallelism, int partitions, int silences) {}

    /** The simulator's event time ends this far after the history at most; the run stops it sooner. */
    private static final Duration MAX_LIVE = Duration.ofMinutes(20);

    private ScaleRun() {}

    static void run(List<String> report, List<Figure> figures, LocalKafka kafka, LocalPostgres postgres,
            List<String> baseJobArgs, String backend, Settings s, List<String> differences) throws Exception {
        try (java.sql.Connection c = postgres.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("TRUNCATE sensor_aggregates, dead_letters, late_readings, sensor_alerts");
        }
        String topic = "scale-" + backend + "-" + System.nanoTime();
        kafka.createTopic(topic, s.partitions(), Map.of("retention.ms", "-1"));
        SimulatorSettings settings = SimulatorSettings.builder()
                .sensors(s.sensors())
                .interval(s.interval())
                .duration(s.history().plus(MAX_LIVE))
                .start(Instant.now().minus(s.history()).truncatedTo(ChronoUnit.SECONDS))
                .seed(11)
                .format(PayloadFormat.SENSORFLOW)
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "probability=0.01,max-delay=3s"))
                // Sensors going quiet for longer than the silence rule's 5 minutes, for it to find.
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "for=7m,count=" + s.silences()))
                .rules(RuleFileLoader.loadDefault())
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .build();
        String name = "scale, " + backend;
        line(report, String.format("%s: %,d sensors, one reading each per %s; a history of %s of event time, then"
                        + " live (%,.0f readings/s); default rules; %,d silences of 7 minutes; %d partitions, job"
                        + " parallelism %d, checkpoint every %s", name, s.sensors(), fmt(s.interval()), fmt(s.history()),
                s.sensors() * 1000.0 / s.interval().toMillis(), s.silences(), s.partitions(), s.parallelism(),
                s.checkpointInterval()));

        LiveFeed feed = new LiveFeed(settings);
        long history = feed.awaitHistory(Duration.ofMinutes(20));
        line(report, String.format("  history: %,d readings into Kafka in %.1f s (simulator with its oracle)",
                history, feed.historyTook().toMillis() / 1e3));

        Map<String, String> flink = new LinkedHashMap<>();
        flink.put("state.backend.type", backend);
        // Managed memory is what RocksDB sizes its block cache and write buffers from; the heap backend uses none.
        flink.put("taskmanager.memory.managed.size", s.managedMemory());
        // The REST API serves metrics at most this old (10 s by default): the benchmark polls them.
        flink.put("metrics.fetcher.update-interval", "500");
        if (backend.equals("rocksdb")) {
            flink.put("execution.checkpointing.incremental", "true");
            flink.put("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        }
        Path checkpoints = Files.createTempDirectory("sensorflow-scale-checkpoints-");
        List<String> jobArgs = new ArrayList<>(baseJobArgs);
        jobArgs.addAll(List.of("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--transactional-id-prefix", "scale-" + System.nanoTime(),
                "--checkpoint-dir", checkpoints.toUri().toString(), "--checkpoint-interval", s.checkpointInterval(),
                "--parallelism", Integer.toString(s.parallelism())));
        List<String> jvm = new ArrayList<>(PipelineBenchmark.profilerAgent("scale-" + backend));
        // GC log: evidence of what the heap does with this much state.
        Files.createDirectories(Path.of("target"));
        Path gcLog = Path.of("target", "scale-" + backend + "-gc.log").toAbsolutePath();
        jvm.add("-Xlog:gc:file=" + gcLog);
        long t0 = System.nanoTime();
        RunResult run;
        try (JobProcess job = JobProcess.start(s.heap(), 1, s.parallelism(), flink, jvm, jobArgs)) {
            String source = job.rest.vertex(job.jobId, "Source: Kafka readings");
            String metric = "Source__Kafka_readings.numRecordsOut";
            // Catching up: the history as fast as the job can read it.
            long first = -1;
            long caughtUp;
            while (true) {
                long read = job.rest.subtaskSum(job.jobId, source, metric);
                long now = System.nanoTime();
                if (first < 0 && read > 0) {
                    first = now;
                }
                if (read >= history) {
                    caughtUp = now;
                    break;
                }
                check(job);
                Thread.sleep(200);
            }
            long caughtUpWall = System.currentTimeMillis();
            double fromStart = history / ((caughtUp - t0) / 1e9);
            // A history read within one poll has no measurable rate.
            double fromFirst = caughtUp > first ? history / ((caughtUp - first) / 1e9) : Double.NaN;
            line(report, String.format("  caught up with the history: %,.0f readings/s from the first reading read"
                            + " (%.1f s), %,.0f readings/s from starting the job's JVM (%.1f s)",
                    fromFirst, (caughtUp - first) / 1e9, fromStart, (caughtUp - t0) / 1e9));

            // Live: every sensor has state; the job must keep up while it checkpoints all of it. It
            // first reads what was sent live while it started and caught up, then follows the feed.
            double liveRate = s.sensors() * 1000.0 / s.interval().toMillis();
            long maxLag = 0;
            long steadyUntil = Long.MAX_VALUE;
            long liveEdgeWall = Long.MAX_VALUE;
            long giveUp = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            List<JsonNode> after;
            while (true) {
                long sentBefore = feed.sent();
                long lag = sentBefore - job.rest.subtaskSum(job.jobId, source, metric);
                if (steadyUntil == Long.MAX_VALUE && lag < liveRate) {
                    steadyUntil = System.nanoTime() + s.steady().toNanos(); // within a second of the live edge
                    liveEdgeWall = System.currentTimeMillis();
                } else if (steadyUntil != Long.MAX_VALUE) {
                    maxLag = Math.max(maxLag, lag);
                }
                // The checkpoints of the steady state; if the job never gets there, those after the history.
                after = completedAfter(job, System.nanoTime() > giveUp ? caughtUpWall : liveEdgeWall);
                if ((System.nanoTime() > steadyUntil || System.nanoTime() > giveUp) && after.size() >= 2) {
                    break;
                }
                check(job);
                Thread.sleep(500);
            }
            String[] heap = job.command("heap", "HEAP", Duration.ofMinutes(2));
            long liveSent = feed.sent() - history;
            double liveSeconds = feed.sinceHistory().toNanos() / 1e9;
            long lagNow = feed.sent() - job.rest.subtaskSum(job.jobId, source, metric);

            JsonNode latest = after.get(after.size() - 1);
            long maxDuration = after.stream().mapToLong(c -> c.get("end_to_end_duration").asLong()).max().orElse(0);
            long full = latest.get("state_size").asLong();
            long persisted = latest.get("checkpointed_size").asLong();
            long onDisk = directorySize(checkpoints.resolve(job.jobId));
            boolean reachedLive = steadyUntil != Long.MAX_VALUE;
            line(report, String.format("  checkpoints %s: %d completed; the latest (#%d): state %s,"
                            + " persisted by it %s, %,d ms end to end (the longest: %,d ms); on disk %s",
                    reachedLive ? "while following the live input"
                            : "after the history (the job never reached the live edge)", after.size(), latest.get("id").asLong(), mb(full), mb(persisted),
                    latest.get("end_to_end_duration").asLong(), maxDuration, mb(onDisk)));
            perVertex(report, job, latest.get("id").asLong());
            line(report, String.format("  the job's JVM (-Xmx%s, managed memory %s): heap used after a full GC %s"
                            + " (the GC took %s ms), resident memory %s", s.heap(), s.managedMemory(),
                    mb(Long.parseLong(heap[0])), heap[2], mb(Long.parseLong(heap[1]))));
            if (backend.equals("rocksdb")) {
                rocksDbKeys(report, job);
            }
            line(report, String.format("  live: %,d readings in %.0f s (%,.0f/s) while checkpointing; %s; at the end"
                            + " %,d readings not yet read (%.1f s of input)", liveSent, liveSeconds, liveSent / liveSeconds,
                    reachedLive ? String.format("once the job had reached the live edge, most readings not yet read at"
                            + " a sample (every 0.5 s): %,d (%.1f s of input)", maxLag, maxLag / liveRate)
                            : "the job never came within a second of the live edge", lagNow, lagNow / liveRate));

            run = feed.stop();
            while (job.rest.subtaskSum(job.jobId, source, metric) < run.messages()) {
                check(job);
                Thread.sleep(200);
            }
            String gc = gcPauses(gcLog);
            line(report, "  GC (" + gcLog.getFileName() + ", the whole run): " + gc);
            String[] drained = job.command("drain", "DRAINED", Duration.ofMinutes(15));
            line(report, String.format("  stop with savepoint and drain (the final windows' rows written): %,d ms, %s",
                    Long.parseLong(drained[0]), drained[1]));

            ExpectedOutcome expected = run.expected();
            List<WindowAggregate> rows = JobOutputTables.aggregates(postgres.dataSource());
            List<String> d = OutcomeComparison.aggregateDifferences(
                    expected.aggregates(), rows, OutcomeComparison.DEFAULT_AVG_TOLERANCE);
            long sensors = PipelineBenchmark.countRows(postgres, "SELECT count(DISTINCT sensor_id) FROM sensor_aggregates");
            List<ExpectedAlert> alerts = AlertsTopic.read(kafka.bootstrapServers(), topic + "-alerts");
            List<String> a = OutcomeComparison.alertDifferences(expected.alerts(), alerts);
            line(report, String.format("  output: %,d readings sent; %,d sensors in sensor_aggregates; %,d rows expected,"
                            + " %,d rows, %s; %,d alerts expected, %,d on the alerts topic (read_committed), %s",
                    run.messages(), sensors, expected.aggregates().size(), rows.size(), verdict(d),
                    expected.alerts().size(), alerts.size(), verdict(a)));
            differences.addAll(d);
            differences.addAll(a);

            boolean keptUp = reachedLive && lagNow < liveRate * 10; // less than 10 s of input behind
            boolean exact = d.isEmpty() && a.isEmpty();
            // A sensor silenced from the start of a short history never reads: the oracle knows.
            long expectedSensors = expected.aggregates().stream().map(WindowAggregate::sensorId).distinct().count();
            List<String> missed = new ArrayList<>();
            if (!exact) {
                missed.add("the output differs from the expected");
            }
            if (!keptUp) {
                missed.add("fell behind the live input");
            }
            figures.add(new Figure(name + ": sensors on one machine",
                    String.format("%,d sensors in the output%s; output %s; live input kept up: %s", sensors,
                            expectedSensors == s.sensors() ? "" : String.format(" (%,d of them read at all: the others"
                                    + " were silenced from their first reading on)", expectedSensors),
                            exact ? "equal to the expected" : "DIFFERENT", keptUp ? "yes" : "no"),
                    String.format("%,d sensors", s.sensors()),
                    missed.isEmpty() ? "met" : "missed: " + String.join("; ", missed)));
            figures.add(Figure.reported(name + ": checkpoint",
                    String.format("state %s, persisted %s, %.1f s (longest %.1f s), every %s", mb(full), mb(persisted),
                            latest.get("end_to_end_duration").asLong() / 1e3, maxDuration / 1e3, s.checkpointInterval())));
            figures.add(Figure.reported(name + ": memory",
                    String.format("heap after full GC %s of %s; resident %s; GC: %s", mb(Long.parseLong(heap[0])), s.heap(),
                            mb(Long.parseLong(heap[1])), gc)));
            figures.add(Figure.reported(name + ": input",
                    String.format("history %s; live %,.0f/s, %s", Double.isNaN(fromFirst) ? "read within one poll"
                                    : String.format("%,.0f readings/s", fromFirst), liveSent / liveSeconds,
                            reachedLive ? String.format("behind at most %.1f s", maxLag / liveRate)
                                    : String.format("never caught up: %.0f s behind at the end", lagNow / liveRate))));
        }
    }

    /** The checkpoints that completed and were triggered after {@code afterWall}, oldest first. */
    private static List<JsonNode> completedAfter(JobProcess job, long afterWall) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : job.rest.get("/jobs/" + job.jobId + "/checkpoints").get("history")) {
            if (c.get("status").asText().equals("COMPLETED") && c.get("trigger_timestamp").asLong() > afterWall
                    && !c.get("is_savepoint").asBoolean()) {
                out.add(0, c);
            }
        }
        return out;
    }

    /** Each operator chain's share of a checkpoint. */
    private static void perVertex(List<String> report, JobProcess job, long checkpointId) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode v : job.rest.get("/jobs/" + job.jobId).get("vertices")) {
            names.put(v.get("id").asText(), v.get("name").asText());
        }
        JsonNode tasks = job.rest.get("/jobs/" + job.jobId + "/checkpoints/details/" + checkpointId).get("tasks");
        for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            long size = t.getValue().get("state_size").asLong();
            if (size > 0) {
                String n = names.getOrDefault(t.getKey(), t.getKey());
                line(report, String.format("    %s: state %s, persisted %s, %,d ms", n.length() > 90 ? n.substring(0, 90) + "..." : n,
                        mb(size), mb(t.getValue().get("checkpointed_size").asLong()),
                        t.getValue().get("end_to_end_duration").asLong()));
            }
        }
    }

    /**
     * RocksDB's own estimate of the keys in each state (column family) of the silence rule's CEP
     * operator (before silence went through CEP, its timer function kept one per sensor it tracked;
     * CEP keeps none once a silence event is taken). An estimate: overwritten keys not yet
     * compacted away count too.
     */
    private static void rocksDbKeys(List<String> report, JobProcess job) throws Exception {
        String silence = job.rest.vertex(job.jobId, "CEP silence");
        for (JsonNode m : job.rest.get("/jobs/" + job.jobId + "/vertices/" + silence + "/subtasks/metrics")) {
            String id = m.get("id").asText();
            if (id.endsWith("estimate-num-keys")) {
                line(report, String.format("    RocksDB's estimate of the keys of %s (overwrites not yet compacted"
                        + " count too): %,d", id, job.rest.subtaskSum(job.jobId, silence, id)));
            }
        }
    }

    /** The stop-the-world pauses in a -Xlog:gc log: how many, their sum, the longest. */
    private static String gcPauses(Path log) throws java.io.IOException {
        java.util.regex.Pattern pause = java.util.regex.Pattern.compile("\\[([0-9.]+)s\\].* Pause .* ([0-9.]+)ms$");
        int n = 0;
        int full = 0;
        double sum = 0;
        double longest = 0;
        double end = 0;
        for (String l : Files.readAllLines(log)) {
            java.util.regex.Matcher m = pause.matcher(l);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(2));
                n++;
                full += l.contains("Pause Full") ? 1 : 0;
                sum += ms;
                longest = Math.max(longest, ms);
                end = Double.parseDouble(m.group(1));
            }
        }
        return String.format("%d pauses (%d full) stopped the JVM %.1f s of its first %.0f s, the longest %,.0f ms",
                n, full, sum / 1e3, end, longest);
    }

    private static void check(JobProcess job) {
        if (!job.isAlive()) {
            throw new IllegalStateException("the job's JVM ended");
        }
    }

    private static long directorySize(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String verdict(List<String> d) {
        if (d.isEmpty()) {
            return "all equal to the expected outcome";
        }
        // What kind of difference, for a first diagnosis: missing or unexpected, by status.
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (String x : d) {
            String status = x.contains(" FIRING ") ? " FIRING" : x.contains(" RESOLVED ") ? " RESOLVED" : "";
            kinds.merge(x.substring(0, x.indexOf(' ')) + status, 1, Integer::sum);
        }
        return d.size() + " DIFFERENCES " + kinds + ", first: " + d.subList(0, Math.min(5, d.size()));
    }

    static String mb(long bytes) {
        return String.format("%,.1f MB", bytes / 1e6);
    }

    private static String fmt(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }

    private static void line(List<String> report, String line) {
        report.add(line);
        System.out.println(line);
    }
}
