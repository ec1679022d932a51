package io.sensorflow.simulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.simulator.GeneratedMessage;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.cli.SimulatorCli;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends to a real broker (testkit's LocalKafka) and reads everything back. */
class KafkaRoundTripTest {

    private static LocalKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void everyMessageArrivesOnceWithItsKeyInOrderPerSensor() {
        SimulatorSettings s = SimulatorSettings.builder().sensors(50).count(20_000).seed(5)
                .start(Instant.now().minus(Duration.ofHours(1)))
                .bootstrapServers(kafka.bootstrapServers()).topic("round-trip").partitions(3)
                .progressInterval(Duration.ZERO)
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "count=10"))
                .fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "count=40"))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "count=10"))
                .build();
        long before = System.currentTimeMillis();
        RunResult result = Simulator.send(s, true, null);   // creates the missing topic with 3 partitions
        assertThat(result.messages()).isEqualTo(20_010);

        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAll(kafka.bootstrapServers(), "round-trip", false, Duration.ofMinutes(2));
        List<GeneratedMessage> expected = Simulator.messages(s);
        assertThat(records).hasSize(expected.size());
        assertThat(records.stream().map(ConsumerRecord::partition).distinct().count()).isEqualTo(3);
        assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(before));

        // Per sensor (one key, one partition), the records are the emitted messages in emission order.
        Map<String, List<String>> sent = new HashMap<>();
        expected.forEach(m -> sent.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.payloadText()));
        Map<String, List<String>> received = records.stream().collect(Collectors.groupingBy(r -> text(r.key()),
                Collectors.mapping(r -> text(r.value()), Collectors.toList())));
        assertThat(received).isEqualTo(sent);
        // Empty payloads stay empty (not null).
        long empty = expected.stream().filter(m -> m.payload().length == 0).count();
        assertThat(records.stream().filter(r -> r.value() != null && r.value().length == 0).count()).isEqualTo(empty);

        ExpectedOutcome outcome = result.expected();
        assertThat(outcome).isEqualTo(Simulator.expectedOutcome(s));
        assertThat(outcome.deadLetters()).hasSize(40);
    }

    @Test
    void theCommandLineSendsToKafkaAndWritesTheOutcome(@TempDir Path dir) throws Exception {
        kafka.createTopic("cli-readings", 2);
        Path expected = dir.resolve("expected.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCli.execute(new String[] {"--bootstrap-servers", kafka.bootstrapServers(),
            "--topic", "cli-readings", "--format", "device-epoch", "--sensors", "20", "--count", "2000",
            "--start", Instant.now().minus(Duration.ofHours(1)).toString(), "--late", "count=1,hold=30s",
            "--expected-out", expected.toString()}, new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAll(kafka.bootstrapServers(), "cli-readings", false, Duration.ofMinutes(1));
        assertThat(records).hasSize(2000)
                .allSatisfy(r -> assertThat(text(r.value())).startsWith("{\"device_id\":\"" + text(r.key()) + "\""));
        assertThat(ExpectedOutcome.read(expected).totals().messages()).isEqualTo(2000);
    }

    @Test
    void pregeneratedMessagesArriveToo() {
        SimulatorSettings s = SimulatorSettings.builder().sensors(10).count(5_000).seed(8).format(
                io.sensorflow.simulator.PayloadFormat.INT_ID).start(Instant.now().minus(Duration.ofHours(1)))
                .bootstrapServers(kafka.bootstrapServers()).topic("pregenerated").partitions(1)
                .progressInterval(Duration.ZERO).build();
        Simulator.Generated g = Simulator.generate(s, false);
        try (MessageSink sink = MessageSinks.open(s)) {
            Simulator.send(g, sink, 0, Duration.ZERO, null);
        }
        List<String> received = TopicReader.readAll(kafka.bootstrapServers(), "pregenerated", false, Duration.ofMinutes(1))
                .stream().map(r -> text(r.value())).collect(Collectors.toList());
        assertThat(received).isEqualTo(Simulator.messages(s).stream().map(GeneratedMessage::payloadText)
                .collect(Collectors.toList()));
    }
}
