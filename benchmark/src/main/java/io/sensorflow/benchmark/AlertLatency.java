package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.durations.Durations;
import io.sensorflow.job.config.AlertsDelivery;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.output.EventTimePacedSink;
import io.sensorflow.simulator.output.KafkaMessageSink;
import io.sensorflow.testkit.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Alert latency at a steady rate: the simulator sends readings in real time (each once the wall
 * clock reaches its event time) to the job running unbounded in its own JVM, with the shipped
 * settings unless told otherwise, and a read_committed consumer of the alerts topic notes when each
 * FIRING alert becomes readable. Latency is measured from the event time of the reading that
 * completed the match (sequences, rises), or from the moment a silence became due (last reading +
 * after), to that moment, per rule kind.
 */
final class AlertLatency {

    /** The default rules with a shorter silence, so silences come and go within the run. */
    static final String RULES = """
            version: 1
            rules:
              - {id: sensor-silence, kind: silence, severity: warning, after: 30s}
              - {id: temperature-extreme-run, kind: sequence, severity: critical, metric: temperature, above: 70, count: 3, within: 1m}
              - {id: obstacle-close-run, kind: sequence, severity: warning, metric: distance_cm, below: 10, count: 5, within: 30s}
              - {id: temperature-rapid-rise, kind: rise, severity: warning, metric: temperature, by: 10, within: 5m}
            """;

    private AlertLatency() {}

    /** {p50, p99, count, max} in ms of each kind's alerts (sequence, rise, silence) while the readings flowed. */
    record Result(long[] sequences, long[] rises, long[] silences) {}

    /** {@code checkpointInterval} null: the job's default. */
    static Result run(List<String> report, LocalKafka kafka, List<String> baseJobArgs, int sensors, int seconds,
            int parallelism, String checkpointInterval, List<String> extraJobArgs) throws Exception {
        String topic = "latency-readings-" + System.nanoTime();
        kafka.createTopic(topic, 4, Map.of("retention.ms", "-1"));
        Path rules = Files.createTempFile("latency-rules-", ".yaml");
        Files.writeString(rules, RULES);
        List<String> jobArgs = new ArrayList<>(baseJobArgs);
        jobArgs.remove("--bounded");
        jobArgs.set(jobArgs.indexOf("--readings-topic") + 1, topic);
        jobArgs.set(jobArgs.indexOf("--dead-letter-topic") + 1, topic + "-dlq");
        jobArgs.set(jobArgs.indexOf("--transactional-id-prefix") + 1, "latency-" + System.nanoTime());
        jobArgs.addAll(List.of("--rules", rules.toString(), "--alerts-topic", topic + "-alerts"));
        if (checkpointInterval != null) {
            jobArgs.addAll(List.of("--checkpoint-interval", checkpointInterval));
        }
        jobArgs.addAll(extraJobArgs);
        kafka.createTopic(topic + "-alerts", 4, Map.of());

        // The readings start 20 s from now, while the job starts up.
        Instant start = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        SimulatorSettings settings = SimulatorSettings.builder()
                .sensors(sensors)
                .count((long) sensors * seconds)
                .seed(7)
                .format(PayloadFormat.SENSORFLOW)
                .start(start)
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=" + seconds))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "for=50s,count=" + seconds / 4))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=2s,probability=0.01"))
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .build();

        List<String> childArgs = new ArrayList<>();
        childArgs.add(Integer.toString(parallelism));
        childArgs.addAll(jobArgs);
        Process job = ChildJvm.start(JobRun.class, "2g", List.of(), childArgs);
        // {latency ms, due event time}
        List<long[]> sequences = Collections.synchronizedList(new ArrayList<>());
        List<long[]> rises = Collections.synchronizedList(new ArrayList<>());
        List<long[]> silences = Collections.synchronizedList(new ArrayList<>());
        Thread consumer = new Thread(() -> consume(kafka.bootstrapServers(), topic + "-alerts", sequences, rises, silences));
        consumer.setDaemon(true);
        consumer.start();
        try (KafkaMessageSink kafkaSink = new KafkaMessageSink(kafka.bootstrapServers(), topic, Map.of("linger.ms", "1"));
                EventTimePacedSink paced = new EventTimePacedSink(kafkaSink)) {
            Simulator.send(settings, paced, false, null);
        }
        Thread.sleep(45_000); // the last silences become due, and are committed
        job.destroyForcibly().waitFor();
        consumer.interrupt();

        // While readings flow, event time moves with them; after the last one it only moves on
        // once the input has been idle for --idle-timeout, which is not what this measures.
        long steadyUntil = start.toEpochMilli() + seconds * 1000L - 10_000;
        JobConfig settings0 = JobConfig.parse(jobArgs.toArray(String[]::new), Map.of(),
                new java.io.PrintWriter(new java.io.StringWriter()));
        report.add(String.format("alert latency: %,d readings/s (%,d sensors, one reading a second each) for %d s,"
                        + " paced by event time; job settings %s: out-of-orderness %s, watermark steps %s, checkpoint"
                        + " interval %s, alerts %s (%s)",
                sensors, sensors, seconds, extraJobArgs.isEmpty() && checkpointInterval == null ? "as shipped"
                        : String.join(" ", extraJobArgs) + (checkpointInterval == null ? "" : " --checkpoint-interval "
                                + checkpointInterval), Durations.format(settings0.outOfOrderness),
                Durations.format(settings0.watermarkGranularity), Durations.format(settings0.checkpointInterval),
                settings0.alertsDelivery, settings0.alertsDelivery == AlertsDelivery.AT_LEAST_ONCE
                        ? "readable as soon as they are written" : "readable once their checkpoint commits the Kafka transaction"));
        report.add("  sequences (temperature-extreme-run), from the reading that completed the match: "
                + percentiles(sequences, Long.MIN_VALUE, steadyUntil));
        report.add("  rises (temperature-rapid-rise), from the reading that completed the match: "
                + percentiles(rises, Long.MIN_VALUE, steadyUntil));
        report.add("  silences, from the moment the silence was due: " + percentiles(silences, Long.MIN_VALUE, steadyUntil));
        report.add("  the whole fleet going quiet at the end (event time then moves on after --idle-timeout): "
                + percentiles(silences, start.toEpochMilli() + seconds * 1000L, Long.MAX_VALUE));
        System.out.println(String.join("\n", report.subList(report.size() - 5, report.size())));
        return new Result(stats(sequences, Long.MIN_VALUE, steadyUntil), stats(rises, Long.MIN_VALUE, steadyUntil),
                stats(silences, Long.MIN_VALUE, steadyUntil));
    }

    private static void consume(String bootstrap, String topic, List<long[]> sequences, List<long[]> rises,
            List<long[]> silences) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + System.nanoTime());
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    JsonNode a = json.readTree(new String(r.value(), StandardCharsets.UTF_8));
                    if (!a.get("status").asText().equals("FIRING")) {
                        continue;
                    }
                    String kind = a.get("rule_kind").asText();
                    if (kind.equals("silence")) {
                        long due = Instant.parse(a.get("span_end").asText()).toEpochMilli();
                        silences.add(new long[] {now - due, due});
                    } else {
                        JsonNode readings = a.get("readings");
                        long completed = Instant.parse(readings.get(readings.size() - 1).get("time").asText()).toEpochMilli();
                        (kind.equals("rise") ? rises : sequences).add(new long[] {now - completed, completed});
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {p50, p99, count, max} of the latencies of alerts due in [from, to); -1s when there are none. */
    private static long[] stats(List<long[]> samples, long from, long to) {
        List<Long> ms = new ArrayList<>();
        synchronized (samples) {
            samples.stream().filter(s -> s[1] >= from && s[1] < to).forEach(s -> ms.add(s[0]));
        }
        if (ms.isEmpty()) {
            return new long[] {-1, -1, 0, -1};
        }
        Collections.sort(ms);
        return new long[] {ms.get((int) (ms.size() * 0.5)),
                ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)), ms.size(), ms.get(ms.size() - 1)};
    }

    /** Percentiles of the latencies of alerts due in [from, to). */
    private static String percentiles(List<long[]> samples, long from, long to) {
        long[] s = stats(samples, from, to);
        return s[2] == 0 ? "no alerts"
                : String.format("n=%d, p50 %,d ms, p99 %,d ms, max %,d ms", s[2], s[0], s[1], s[3]);
    }
}
