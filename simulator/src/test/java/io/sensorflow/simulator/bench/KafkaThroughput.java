package io.sensorflow.simulator.bench;

import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.output.KafkaMessageSink;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures how fast the simulator fills a real Kafka broker (testkit's LocalKafka, in this JVM).
 * Arguments: {@code count format sensors partitions mode [producer key=value ...]}, mode is
 * {@code stream} (generate while sending) or {@code pregenerate}. Each run sends to a fresh topic;
 * a warm-up run of a tenth of the count comes first. Ends by counting the records back.
 * <pre>
 * mvn -q -pl simulator test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.sensorflow.simulator.bench.KafkaThroughput -Dexec.args="10000000 sensorflow 10000 4 stream"
 * </pre>
 */
public final class KafkaThroughput {

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        PayloadFormat format = PayloadFormat.fromCliName(args.length > 1 ? args[1] : "sensorflow");
        int sensors = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        boolean pregenerate = args.length > 4 && args[4].equals("pregenerate");
        Map<String, String> producer = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            producer.put(kv[0], kv[1]);
        }
        try (LocalKafka kafka = LocalKafka.start()) {
            run(kafka, "warmup", count / 10, format, sensors, partitions, pregenerate, producer);
            RunResult r = run(kafka, "bench", count, format, sensors, partitions, pregenerate, producer);
            long t0 = System.nanoTime();
            int read = TopicReader.readAll(kafka.bootstrapServers(), "bench", false, Duration.ofMinutes(10)).size();
            System.err.printf("RESULT format=%s sensors=%d partitions=%d mode=%s producer=%s: %d messages in %.2f s ="
                    + " %.0f messages/s; read back %d (%.1f s)%n", format, sensors, partitions,
                    pregenerate ? "pregenerate" : "stream", producer, r.messages(), r.elapsed().toNanos() / 1e9,
                    r.rate(), read, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static RunResult run(LocalKafka kafka, String topic, long count, PayloadFormat format, int sensors,
            int partitions, boolean pregenerate, Map<String, String> producer) {
        kafka.createTopic(topic, partitions);
        long ticks = count / sensors + 1;
        SimulatorSettings.Builder b = SimulatorSettings.builder().count(count).sensors(sensors).format(format)
                .start(Instant.now().minus(Duration.ofSeconds(ticks)).truncatedTo(ChronoUnit.SECONDS))
                .bootstrapServers(kafka.bootstrapServers()).topic(topic).partitions(0)
                .progressInterval(Duration.ofSeconds(5));
        producer.forEach(b::producerProperty);
        SimulatorSettings s = b.build();
        try (MessageSink sink = new KafkaMessageSink(s.bootstrapServers(), s.topic(), s.producerProperties())) {
            if (pregenerate) {
                Simulator.Generated g = Simulator.generate(s, false);
                System.err.printf("%s: generated %d messages in %.2f s (%.0f/s)%n", topic, g.batch().size(),
                        g.generation().elapsed().toNanos() / 1e9, g.generation().rate());
                RunResult r = Simulator.send(g, sink, 0, s.progressInterval(), System.err);
                System.err.println(topic + ": " + r);
                return r;
            }
            RunResult r = Simulator.send(s, sink, false, System.err);
            System.err.println(topic + ": " + r);
            return r;
        }
    }
}
