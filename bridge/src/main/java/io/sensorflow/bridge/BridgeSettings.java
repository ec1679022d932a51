package io.sensorflow.bridge;

import io.sensorflow.durations.DurationConverter;
import io.sensorflow.durations.Durations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Every setting of the bridge, with its default. Each comes from the command line, else from the environment
 * variable {@code SENSORFLOW_BRIDGE_<NAME>} (the option name in capitals, dashes as underscores, e.g.
 * {@code SENSORFLOW_BRIDGE_MQTT_PASSWORD}), else its default. A wrong setting fails the start with its name, where
 * it came from and what is wrong.
 */
@Command(
        name = "sensorflow-bridge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        versionProvider = BridgeSettings.Version.class,
        description = {
            "Forwards sensor messages from MQTT to Kafka, at least once: it subscribes at QoS 1 with a persistent",
            "session and acknowledges each MQTT message only after Kafka has it (acks=all, idempotent producer).",
            "Readings (sensors/<id>/readings) go to --readings-topic, status messages (sensors/<id>/status) to",
            "--status-topic, keyed by the sensor id, with the MQTT payload unchanged.",
            "",
            "Each option can also be set by an environment variable SENSORFLOW_BRIDGE_<NAME>",
            "(e.g. SENSORFLOW_BRIDGE_MQTT_PASSWORD); the command line wins.",
            "Durations: " + Durations.SYNTAX + ".",
            ""
        })
public final class BridgeSettings {

    static final String ENV_PREFIX = "SENSORFLOW_BRIDGE_";

    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    /** Producer settings the bridge's guarantees rest on: --kafka-property may not change them. */
    private static final Map<String, String> FIXED_PRODUCER_SETTINGS = Map.of(
            ProducerConfig.ACKS_CONFIG, "the bridge acknowledges MQTT messages only once every in-sync replica has them (acks=all)",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "retries must not duplicate or reorder records (enable.idempotence=true)",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "keys are the sensor ids in UTF-8",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "values are the MQTT payloads, unchanged",
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "use --kafka-bootstrap-servers",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the bridge does not use transactions");

    // MQTT
    @Option(names = "--mqtt-broker", paramLabel = "URI", defaultValue = "tcp://localhost:1883",
            description = "MQTT broker: tcp://HOST:PORT, ssl://, ws:// or wss://. Default: ${DEFAULT-VALUE}.")
    String mqttBroker;

    @Option(names = "--mqtt-client-id", paramLabel = "ID", defaultValue = "sensorflow-bridge",
            description = "MQTT client id. The broker keeps the session (subscriptions and unacknowledged messages)"
                    + " under this id while the bridge is away: keep it stable, and give each bridge its own."
                    + " Default: ${DEFAULT-VALUE}.")
    String mqttClientId;

    @Option(names = "--mqtt-username", paramLabel = "NAME", description = "MQTT user name. Default: none.")
    String mqttUsername;

    @Option(names = "--mqtt-password", paramLabel = "PASSWORD",
            description = "MQTT password; prefer SENSORFLOW_BRIDGE_MQTT_PASSWORD over the command line. Default: none.")
    String mqttPassword;

    @Option(names = "--mqtt-readings-topic", paramLabel = "FILTER", defaultValue = "sensors/+/readings",
            description = "MQTT topic filter of readings; its one '+' level is the sensor id. Default: ${DEFAULT-VALUE}.")
    String mqttReadingsTopic;

    @Option(names = "--mqtt-status-topic", paramLabel = "FILTER", defaultValue = "sensors/+/status",
            description = "MQTT topic filter of status messages (online/offline, the last will); its one '+' level is"
                    + " the sensor id. Default: ${DEFAULT-VALUE}.")
    String mqttStatusTopic;

    // Kafka
    @Option(names = "--kafka-bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
    String kafkaBootstrapServers;

    @Option(names = "--readings-topic", paramLabel = "NAME", defaultValue = "sensor-readings",
            description = "Kafka topic readings go to (it must exist). Default: ${DEFAULT-VALUE}.")
    String readingsTopic;

    @Option(names = "--status-topic", paramLabel = "NAME", defaultValue = "sensor-status",
            description = "Kafka topic status messages go to (it must exist). Default: ${DEFAULT-VALUE}.")
    String statusTopic;

    @Option(names = "--kafka-property", split = ",", paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property (security, compression, ...); repeatable. acks, enable.idempotence,"
                    + " the serializers, bootstrap.servers and transactional.id cannot be changed.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    // Flow
    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "1000",
            description = "Most messages sent to Kafka but not yet confirmed by it (so not yet acknowledged to MQTT);"
                    + " when reached, the bridge stops taking messages until Kafka confirms some. The broker's own"
                    + " window (mosquitto: max_inflight_messages, 20 by default) usually limits this first."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "On SIGTERM/SIGINT, how long to wait for Kafka to confirm the messages in flight before"
                    + " disconnecting (unconfirmed ones stay with the MQTT broker and come again). Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    private TopicFilter readingsFilter;
    private TopicFilter statusFilter;

    /** Settings from the command line and the process environment; see {@link #parse(String[], Map, PrintWriter)}. */
    public static BridgeSettings parse(String... args) {
        return parse(args, System.getenv(), new PrintWriter(System.out, true));
    }

    /**
     * Reads the settings. Returns null after printing help or the version to {@code out}.
     *
     * @throws SettingsException naming the setting, when one is wrong
     */
    public static BridgeSettings parse(String[] args, Map<String, String> env, PrintWriter out) {
        BridgeSettings settings = new BridgeSettings();
        CommandLine cli = new CommandLine(settings);
        // The last of a repeated option wins, so that wrappers can put defaults before the user's own.
        cli.setOverwrittenOptionsAllowed(true);
        EnvironmentDefaults sources = new EnvironmentDefaults(env);
        cli.setDefaultValueProvider(sources);
        try {
            cli.parseArgs(args);
        } catch (ParameterException e) {
            String origin = e.getArgSpec() instanceof OptionSpec
                    ? sources.originOf(((OptionSpec) e.getArgSpec()).longestName()) : "";
            throw new SettingsException(e.getMessage() + origin);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            out.flush();
            return null;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            out.flush();
            return null;
        }
        settings.check(sources);
        return settings;
    }

    /** Settings for code and tests: the defaults with these options (no environment). */
    public static BridgeSettings of(String... args) {
        BridgeSettings s = parse(args, Map.of(), new PrintWriter(new StringWriter()));
        if (s == null) {
            throw new IllegalArgumentException("--help and --version give no settings");
        }
        return s;
    }

    /** The usage text. */
    public static String usage() {
        StringWriter text = new StringWriter();
        new CommandLine(new BridgeSettings()).usage(new PrintWriter(text));
        return text.toString();
    }

    static String envName(String optionName) {
        return ENV_PREFIX + optionName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private void check(EnvironmentDefaults s) {
        checkMqttBroker(s);
        if (mqttClientId == null || mqttClientId.isEmpty()) {
            fail("--mqtt-client-id", "must not be empty: the broker keeps the bridge's session under it", s);
        }
        if (mqttClientId.getBytes(StandardCharsets.UTF_8).length > 65535) {
            fail("--mqtt-client-id", "must be at most 65535 bytes", s);
        }
        if (mqttPassword != null && mqttUsername == null) {
            fail("--mqtt-password", "needs --mqtt-username (MQTT 3.1.1 has no password without a user name)", s);
        }
        readingsFilter = filter("--mqtt-readings-topic", mqttReadingsTopic, s);
        statusFilter = filter("--mqtt-status-topic", mqttStatusTopic, s);
        if (readingsFilter.overlaps(statusFilter)) {
            fail("--mqtt-status-topic", "'" + statusFilter + "' overlaps --mqtt-readings-topic '" + readingsFilter
                    + "': a message could match both", s);
        }
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            fail("--kafka-bootstrap-servers", "must not be empty", s);
        }
        kafkaTopic("--readings-topic", readingsTopic, s);
        kafkaTopic("--status-topic", statusTopic, s);
        if (readingsTopic.equals(statusTopic)) {
            fail("--status-topic", "must differ from --readings-topic ('" + readingsTopic + "'): the job would read"
                    + " status messages as readings", s);
        }
        for (Map.Entry<String, String> e : kafkaProperties.entrySet()) {
            String reason = FIXED_PRODUCER_SETTINGS.get(e.getKey().trim());
            if (reason != null) {
                fail("--kafka-property", e.getKey() + " cannot be set: " + reason, s);
            }
        }
        if (maxInFlight < 1 || maxInFlight > 1_000_000) {
            fail("--max-in-flight", "must be between 1 and 1000000, not " + maxInFlight, s);
        }
        if (shutdownTimeout.isNegative()) {
            fail("--shutdown-timeout", "must not be negative, not " + Durations.format(shutdownTimeout), s);
        }
    }

    private void checkMqttBroker(EnvironmentDefaults s) {
        URI uri;
        try {
            uri = new URI(mqttBroker);
        } catch (URISyntaxException e) {
            fail("--mqtt-broker", "'" + mqttBroker + "' is not a URI (" + e.getReason() + "); e.g. tcp://localhost:1883", s);
            return;
        }
        if (uri.getScheme() == null || !MQTT_SCHEMES.contains(uri.getScheme())) {
            fail("--mqtt-broker", "'" + mqttBroker + "' must start with tcp://, ssl://, ws:// or wss://;"
                    + " e.g. tcp://localhost:1883", s);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            fail("--mqtt-broker", "'" + mqttBroker + "' has no host; e.g. tcp://localhost:1883", s);
        }
    }

    private static TopicFilter filter(String option, String value, EnvironmentDefaults s) {
        try {
            return TopicFilter.parse(value);
        } catch (IllegalArgumentException e) {
            fail(option, e.getMessage(), s);
            return null;
        }
    }

    private static void kafkaTopic(String option, String value, EnvironmentDefaults s) {
        if (value == null || !KAFKA_TOPIC.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            fail(option, "'" + value + "' is not a Kafka topic name (1 to 249 of A-Z a-z 0-9 . _ -)", s);
        }
    }

    private static void fail(String option, String problem, EnvironmentDefaults s) {
        throw new SettingsException(option + " " + problem + s.originOf(option));
    }

    public String mqttBroker() { return mqttBroker; }
    public String mqttClientId() { return mqttClientId; }
    /** The user name, or null. */
    public String mqttUsername() { return mqttUsername; }
    /** The password, or null. */
    public String mqttPassword() { return mqttPassword; }
    public TopicFilter mqttReadingsTopic() { return readingsFilter; }
    public TopicFilter mqttStatusTopic() { return statusFilter; }
    public String kafkaBootstrapServers() { return kafkaBootstrapServers; }
    public String readingsTopic() { return readingsTopic; }
    public String statusTopic() { return statusTopic; }
    /** The {@code --kafka-property} settings, as given. */
    public Map<String, String> kafkaProperties() { return Collections.unmodifiableMap(kafkaProperties); }
    public int maxInFlight() { return maxInFlight; }
    public Duration shutdownTimeout() { return shutdownTimeout; }

    /**
     * The producer settings: the bridge's own, then {@code --kafka-property} over them (except the fixed ones).
     *
     * <ul>
     *   <li>{@code acks=all}, {@code enable.idempotence=true}, at most 5 requests in flight: a record Kafka confirms is
     *       on every in-sync replica, once, in the order sent (per partition, so per sensor).
     *   <li>{@code delivery.timeout.ms} and {@code retries} at their maximum (about 24 days): while Kafka is down,
     *       records wait in the producer rather than fail. The MQTT messages stay unacknowledged meanwhile, so the
     *       broker keeps them if the bridge dies.
     *   <li>{@code metadata.max.idle.ms} as long: the bridge learns its two topics' partitions at start and keeps
     *       them while a topic is quiet (the status topic often is), so sends rarely wait for metadata.
     *   <li>{@code linger.ms=5}: the broker's window of unacknowledged messages is small, so batches are small anyway.
     *   <li>{@code max.block.ms=10000}: at start, the bridge says every 10 s that Kafka or a topic is missing. A send
     *       that cannot get metadata or buffer space in that time (Kafka is down and the producer lost the topic's
     *       metadata, as it can when a broker shuts down) is offered again by the bridge, in order; see
     *       {@link Forwarder}.
     * </ul>
     */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sensorflow-bridge-" + mqttClientId.replaceAll("[^A-Za-z0-9._-]", "_"));
        kafkaProperties.forEach((k, v) -> p.put(k.trim(), v));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
        return p;
    }

    @Override
    public String toString() {
        return "mqtt=" + mqttBroker + " client-id=" + mqttClientId + " readings " + readingsFilter + " -> " + readingsTopic
                + ", status " + statusFilter + " -> " + statusTopic + ", kafka=" + kafkaBootstrapServers
                + " max-in-flight=" + maxInFlight;
    }

    /** Option defaults from {@code SENSORFLOW_BRIDGE_*} environment variables, remembering which ones were used. */
    static final class EnvironmentDefaults implements IDefaultValueProvider {
        private final Map<String, String> env;
        private final Map<String, String> origins = new HashMap<>();

        EnvironmentDefaults(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec)) {
                return null;
            }
            OptionSpec option = (OptionSpec) arg;
            if (option.usageHelp() || option.versionHelp()) {
                return null;
            }
            String name = option.longestName();
            String key = envName(name);
            String value = env.get(key);
            if (value == null) {
                return null;
            }
            origins.put(name, "environment variable " + key);
            return value;
        }

        /** " (from environment variable X)" when the option's value came from there, else "". */
        String originOf(String option) {
            String origin = origins.get(option);
            return origin == null ? "" : " (from " + origin + ")";
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BridgeSettings.class.getPackage().getImplementationVersion();
            return new String[] {"sensorflow-bridge " + (v == null ? "(development build)" : v)};
        }
    }
}
