package io.sensorflow.simulator.cli;

import io.sensorflow.durations.DurationConverter;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.rules.RuleFileException;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.OutputKind;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.ValueModel;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpec;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.fault.ScenarioFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options of every command, turned into {@link SimulatorSettings}. */
public final class SimulatorOptions {

    @ArgGroup(validate = false, heading = "%nSensors and time:%n", order = 1)
    Fleet fleet = new Fleet();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 2)
    Output output = new Output();

    @ArgGroup(validate = false, heading = "%nFaults (each option may repeat; fields name=value, comma-separated;"
            + " count=N or probability=P):%n", order = 3)
    FaultOptions faults = new FaultOptions();

    @ArgGroup(validate = false, heading = "%nExpected outcome (the job's timing and alert rules):%n", order = 4)
    Oracle oracle = new Oracle();

    static final class Fleet {
        @Option(names = "--sensors", paramLabel = "N", defaultValue = "100", description = "Virtual sensors (default: ${DEFAULT-VALUE}).")
        int sensors;

        @Option(names = "--id-prefix", paramLabel = "TEXT", description = "Sensor id prefix (default: sensor- for sensorflow, device_ for device-epoch; int-id has none).")
        String idPrefix;

        @Option(names = "--id-width", paramLabel = "DIGITS", description = "Zero-pad sensor numbers to this width (default: 5 for sensorflow, else 0).")
        Integer idWidth;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
                description = "Event time between two readings of a sensor (default: ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--count", paramLabel = "N", description = "Readings to produce, then stop.")
        Long count;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Event time to cover, then stop (instead of --count). Without either, runs until stopped.")
        Duration duration;

        @Option(names = "--start", paramLabel = "INSTANT", converter = InstantConverter.class,
                description = "Event time of the first readings, ISO-8601 (default: now).")
        Instant start;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "PRNG seed: same seed, same bytes (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sensorflow",
                description = "Payload format: sensorflow, device-epoch, int-id (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--values", paramLabel = "MODEL", defaultValue = "dht11",
                description = "Temperature and humidity: dht11 (each sensor drifting around its own base), uniform"
                        + " (every reading random, 20-80 °C and 30-90 %%, as the inspiration project's producer sends)"
                        + " or storm (each sensor a run of 3 readings at 75 °C every 108 readings, else 20 °C: at a"
                        + " reading every 10 s, alerts as fast as the shipped rules allow) (default: ${DEFAULT-VALUE}).")
        String values;
    }

    static final class Output {
        @Option(names = "--output", paramLabel = "KIND", defaultValue = "kafka",
                description = "kafka, mqtt (QoS 1 to sensors/<sensor id>/readings) or stdout (JSON lines) (default: ${DEFAULT-VALUE}).")
        String output;

        @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
                description = "Messages per second of wall-clock time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = {"--bootstrap-servers", "-b"}, paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
                description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(names = "--mqtt-broker", paramLabel = "URI", defaultValue = SimulatorSettings.DEFAULT_MQTT_BROKER,
                description = "MQTT broker of --output mqtt (default: ${DEFAULT-VALUE}).")
        String mqttBroker;

        @Option(names = "--topic", paramLabel = "NAME", defaultValue = "sensor-readings", description = "Kafka topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
                description = "Partitions to create the topic with if it is missing; 0 = do not create (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "A Kafka producer setting over the simulator's own (repeatable).")
        Map<String, String> producerProperties = new LinkedHashMap<>();

        @Option(names = "--pregenerate", description = "Generate every message into memory first, then send (bounded runs only).")
        boolean pregenerate;

        @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
                description = "How often to print progress to stderr; 0 = never (default: ${DEFAULT-VALUE}).")
        Duration progress;
    }

    static final class FaultOptions {
        @Option(names = "--scenario", paramLabel = "FILE", description = "A YAML scenario file with a list of faults.")
        Path scenario;

        @Option(names = "--silence", paramLabel = "FIELDS", description = "sensor (id|number|all; random if absent), at (offset|instant; random if absent), for, count. E.g. sensor=all,at=10m,for=1m")
        List<String> silence = new ArrayList<>();

        @Option(names = "--batched", paramLabel = "FIELDS", description = "sensor (id|number|all; random if absent), at (offset|instant; random if absent), for, count: offline, queueing its readings, sent oldest first when back (as the firmware does). E.g. sensor=sensor-00003,at=10m,for=30s")
        List<String> batched = new ArrayList<>();

        @Option(names = "--clock-skew", paramLabel = "FIELDS", description = "sensor (random if absent), offset, count. E.g. sensor=sensor-00007,offset=-30s")
        List<String> clockSkew = new ArrayList<>();

        @Option(names = "--spike", paramLabel = "FIELDS", description = "metric, value, readings (5). E.g. metric=temperature,value=80,readings=5,count=3")
        List<String> spike = new ArrayList<>();

        @Option(names = "--rise", paramLabel = "FIELDS", description = "metric, step, readings (10). E.g. metric=temperature,step=2.5,count=2")
        List<String> rise = new ArrayList<>();

        @Option(names = "--stuck", paramLabel = "FIELDS", description = "metric, readings (20). E.g. metric=humidity,readings=30,count=2")
        List<String> stuck = new ArrayList<>();

        @Option(names = "--out-of-order", paramLabel = "FIELDS", description = "max-delay (2s, below the out-of-orderness bound). E.g. probability=0.01")
        List<String> outOfOrder = new ArrayList<>();

        @Option(names = "--late", paramLabel = "FIELDS", description = "hold (default: surely too late). E.g. count=5")
        List<String> late = new ArrayList<>();

        @Option(names = "--duplicate", paramLabel = "FIELDS", description = "max-delay (1s). E.g. count=10")
        List<String> duplicate = new ArrayList<>();

        @Option(names = "--malformed", paramLabel = "FIELDS", description = "reason (a reason code or any). E.g. reason=NOT_JSON,count=3")
        List<String> malformed = new ArrayList<>();

        @Option(names = "--echo", paramLabel = "FIELDS", description = "HC-SR04 out-of-range echo (distance > 400 cm). E.g. probability=0.001")
        List<String> echo = new ArrayList<>();

        @Option(names = "--burst", paramLabel = "FIELDS", description = "readings (10) more at the same stated time, other values. E.g. readings=100,count=3")
        List<String> burst = new ArrayList<>();

        @Option(names = "--hostile", paramLabel = "FIELDS", description = "shape (any), size (600000 bytes): payloads at the limits. E.g. shape=deep-nesting,count=1")
        List<String> hostile = new ArrayList<>();

        List<FaultSpec> all() {
            List<FaultSpec> specs = new ArrayList<>();
            if (scenario != null) {
                specs.addAll(ScenarioFile.read(scenario));
            }
            add(specs, FaultKind.SILENCE, silence);
            add(specs, FaultKind.BATCHED, batched);
            add(specs, FaultKind.CLOCK_SKEW, clockSkew);
            add(specs, FaultKind.SPIKE, spike);
            add(specs, FaultKind.RISE, rise);
            add(specs, FaultKind.STUCK, stuck);
            add(specs, FaultKind.OUT_OF_ORDER, outOfOrder);
            add(specs, FaultKind.LATE, late);
            add(specs, FaultKind.DUPLICATE, duplicate);
            add(specs, FaultKind.MALFORMED, malformed);
            add(specs, FaultKind.ECHO, echo);
            add(specs, FaultKind.BURST, burst);
            add(specs, FaultKind.HOSTILE, hostile);
            return specs;
        }

        private static void add(List<FaultSpec> specs, FaultKind kind, List<String> values) {
            for (String v : values) {
                specs.add(FaultSpecParser.parseOption(kind, v));
            }
        }
    }

    static final class Oracle {
        @Option(names = "--expected-out", paramLabel = "FILE", description = "Write the expected outcome (aggregates, dead letters, late readings, alerts) as JSON.")
        Path expectedOut;

        @Option(names = "--rules", paramLabel = "FILE",
                description = "An alert rule file (YAML, see cep-rules): the expected outcome then lists the alerts the job must emit.")
        Path rules;

        @Option(names = "--default-rules", description = "The alert rules sensorflow ships with, for the expected outcome's alerts.")
        boolean defaultRules;

        @Option(names = "--window-size", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class,
                description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
        Duration windowSize;

        @Option(names = "--out-of-orderness", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
                description = "Watermark out-of-orderness bound (default: ${DEFAULT-VALUE}).")
        Duration outOfOrderness;

        @Option(names = "--watermark-granularity", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
                description = "Watermark step (default: ${DEFAULT-VALUE}).")
        Duration granularity;

        @Option(names = "--allowed-lateness", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
                description = "Allowed lateness after a window ends (default: ${DEFAULT-VALUE}).")
        Duration allowedLateness;
    }

    /** The settings these options give; {@code count} overrides {@code --count} when not null. */
    SimulatorSettings toSettings(Long count) {
        SimulatorSettings.Builder b = SimulatorSettings.builder()
                .sensors(fleet.sensors)
                .interval(fleet.interval)
                .start(fleet.start)
                .seed(fleet.seed)
                .rate(output.rate)
                .bootstrapServers(output.bootstrapServers)
                .mqttBroker(output.mqttBroker)
                .topic(output.topic)
                .partitions(output.partitions)
                .progressInterval(output.progress)
                .oracle(OracleParameters.of(oracle.windowSize, oracle.outOfOrderness, oracle.granularity,
                        oracle.allowedLateness));
        b.format(convert("--format", () -> PayloadFormat.fromCliName(fleet.format)));
        b.values(convert("--values", () -> ValueModel.fromCliName(fleet.values)));
        b.output(convert("--output", () -> OutputKind.fromCliName(output.output)));
        if (fleet.idPrefix != null) {
            b.idPrefix(fleet.idPrefix);
        }
        if (fleet.idWidth != null) {
            b.idWidth(fleet.idWidth);
        }
        Long n = count != null ? count : fleet.count;
        if (n != null) {
            if (n < 1) {
                throw new io.sensorflow.simulator.SettingsException(count != null ? "generate N" : "--count",
                        "must be at least 1, was " + n);
            }
            b.count(n);
        }
        if (fleet.duration != null) {
            b.duration(fleet.duration);
        }
        output.producerProperties.forEach(b::producerProperty);
        b.faults(faults.all());
        b.rules(rules());
        return b.build();
    }

    /** The rule set of --rules or --default-rules, or null. */
    private RuleSet rules() {
        String option = oracle.rules != null ? "--rules" : "--default-rules";
        if (oracle.rules != null && oracle.defaultRules) {
            throw new io.sensorflow.simulator.SettingsException("--rules", "give --rules or --default-rules, not both");
        }
        if (oracle.rules == null && !oracle.defaultRules) {
            return null;
        }
        if (oracle.expectedOut == null) {
            throw new io.sensorflow.simulator.SettingsException(option,
                    "only the expected outcome uses the rules: give --expected-out too");
        }
        try {
            return oracle.rules != null ? RuleFileLoader.load(oracle.rules) : RuleFileLoader.loadDefault();
        } catch (RuleFileException e) {
            throw new io.sensorflow.simulator.SettingsException(option, e.getMessage());
        }
    }

    boolean pregenerate() {
        return output.pregenerate;
    }

    Path expectedOut() {
        return oracle.expectedOut;
    }

    Long count() {
        return fleet.count;
    }

    private static <T> T convert(String option, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new io.sensorflow.simulator.SettingsException(option, e.getMessage());
        }
    }
}
