package io.sensorflow.simulator;

import io.sensorflow.durations.Durations;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.fault.FaultContext;
import io.sensorflow.simulator.fault.FaultSpec;
import io.sensorflow.simulator.fault.Faults;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a simulation needs, checked when built: {@link #builder()} in code, the options of
 * the command line otherwise. Errors name the option ({@code --sensors: ...}) and what is wrong.
 */
public final class SimulatorSettings {

    public static final int DEFAULT_SENSORS = 100;
    public static final int MAX_SENSORS = 1_000_000;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_TOPIC = "sensor-readings";
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_MQTT_BROKER = "tcp://localhost:1883";
    public static final int DEFAULT_PARTITIONS = 4;
    public static final long DEFAULT_SEED = 1;
    public static final Duration DEFAULT_PROGRESS = Duration.ofSeconds(5);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:\\-]{0,100}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern MQTT_URI = Pattern.compile(
            "(tcp|ssl|ws|wss)://(\\[[0-9A-Fa-f:.]+\\]|[^/\\s:\\[\\]]+)(:\\d{1,5})?(/\\S*)?");

    private final int sensors;
    private final String idPrefix;
    private final int idWidth;
    private final Duration interval;
    private final double rate;
    private final long count;
    private final Duration duration;
    private final Instant start;
    private final long seed;
    private final PayloadFormat format;
    private final ValueModel values;
    private final OutputKind output;
    private final String bootstrapServers;
    private final String mqttBroker;
    private final String topic;
    private final int partitions;
    private final Map<String, String> producerProperties;
    private final List<FaultSpec> faults;
    private final OracleParameters oracle;
    private final RuleSet rules;
    private final Duration progressInterval;

    private SimulatorSettings(Builder b) {
        sensors = b.sensors;
        format = b.format;
        values = b.values;
        idPrefix = b.idPrefix != null ? b.idPrefix : format.defaultPrefix();
        idWidth = b.idWidth != null ? b.idWidth : format.defaultWidth();
        interval = b.interval;
        rate = b.rate;
        count = b.count;
        duration = b.duration;
        start = b.start != null ? b.start : Instant.now().truncatedTo(ChronoUnit.MILLIS);
        seed = b.seed;
        output = b.output;
        bootstrapServers = b.bootstrapServers;
        mqttBroker = b.mqttBroker;
        topic = b.topic;
        partitions = b.partitions;
        producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.producerProperties));
        faults = List.copyOf(b.faults);
        oracle = b.oracle;
        rules = b.rules;
        progressInterval = b.progressInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sensors = sensors;
        b.idPrefix = idPrefix;
        b.idWidth = idWidth;
        b.interval = interval;
        b.rate = rate;
        b.count = count;
        b.duration = duration;
        b.start = start;
        b.seed = seed;
        b.format = format;
        b.values = values;
        b.output = output;
        b.bootstrapServers = bootstrapServers;
        b.mqttBroker = mqttBroker;
        b.topic = topic;
        b.partitions = partitions;
        b.producerProperties.putAll(producerProperties);
        b.faults.addAll(faults);
        b.oracle = oracle;
        b.rules = rules;
        b.progressInterval = progressInterval;
        return b;
    }

    public int sensors() { return sensors; }
    public String idPrefix() { return idPrefix; }
    public int idWidth() { return idWidth; }
    /** The fleet's ids: {@link #sensors()} of them, {@link #idPrefix()} and zero-padded to {@link #idWidth()}. */
    public SensorIds sensorIds() { return new SensorIds(sensors, idPrefix, idWidth); }
    public Duration interval() { return interval; }
    /** Readings per second of wall-clock time; 0 is as fast as possible. */
    public double rate() { return rate; }
    /** The number of readings to produce, or 0 when the run is bounded by duration or not at all. */
    public long count() { return count; }
    /** The span of event time to cover, or null. */
    public Duration duration() { return duration; }
    public Instant start() { return start; }
    public long seed() { return seed; }
    public PayloadFormat format() { return format; }
    public ValueModel values() { return values; }
    public OutputKind output() { return output; }
    public String bootstrapServers() { return bootstrapServers; }
    /** The MQTT broker URI of the MQTT output ({@code tcp://host:port}). */
    public String mqttBroker() { return mqttBroker; }
    public String topic() { return topic; }
    /** Partitions for the topic when it has to be created; 0 leaves creation to the broker. */
    public int partitions() { return partitions; }
    /** Extra Kafka producer settings, over the simulator's own. */
    public Map<String, String> producerProperties() { return producerProperties; }
    public List<FaultSpec> faults() { return faults; }
    public OracleParameters oracle() { return oracle; }
    /** The alert rules whose alerts the expected outcome lists, or null for no alerts. */
    public RuleSet rules() { return rules; }
    /** How often progress is reported on long runs; zero for never. */
    public Duration progressInterval() { return progressInterval; }

    /** Whether the run ends by itself (a count or a duration). */
    public boolean bounded() {
        return count > 0 || duration != null;
    }

    /** The reading count limit, or Long.MAX_VALUE. */
    public long countLimit() {
        return count > 0 ? count : Long.MAX_VALUE;
    }

    /** The end of event time (exclusive), or Long.MAX_VALUE. */
    public long endMs() {
        return duration != null ? start.toEpochMilli() + duration.toMillis() : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "sensors=" + sensors + " format=" + format + " values=" + values.cliName() + " interval=" + Durations.format(interval)
                + (count > 0 ? " count=" + count : "") + (duration != null ? " duration=" + Durations.format(duration) : "")
                + " start=" + start + " seed=" + seed + " rate=" + (rate == 0 ? "max" : rate + "/s")
                + " output=" + output + (output == OutputKind.KAFKA ? " topic=" + topic + " bootstrap=" + bootstrapServers : "")
                + (output == OutputKind.MQTT ? " broker=" + mqttBroker : "")
                + " faults=" + faults.size() + (rules != null ? " rules=" + rules.source() : "");
    }

    /** Builds settings; {@link #build()} checks them. */
    public static final class Builder {
        private int sensors = DEFAULT_SENSORS;
        private String idPrefix;
        private Integer idWidth;
        private Duration interval = DEFAULT_INTERVAL;
        private double rate;
        private long count;
        private Duration duration;
        private Instant start;
        private long seed = DEFAULT_SEED;
        private PayloadFormat format = PayloadFormat.SENSORFLOW;
        private ValueModel values = ValueModel.DHT11;
        private OutputKind output = OutputKind.KAFKA;
        private String bootstrapServers = DEFAULT_BOOTSTRAP;
        private String mqttBroker = DEFAULT_MQTT_BROKER;
        private String topic = DEFAULT_TOPIC;
        private int partitions = DEFAULT_PARTITIONS;
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private final List<FaultSpec> faults = new ArrayList<>();
        private OracleParameters oracle = OracleParameters.DEFAULTS;
        private RuleSet rules;
        private Duration progressInterval = DEFAULT_PROGRESS;

        private Builder() {}

        public Builder sensors(int n) { sensors = n; return this; }
        /** Sensor ids are the prefix and the number (default: {@code sensor-} or {@code device_}, by format). */
        public Builder idPrefix(String prefix) { idPrefix = prefix; return this; }
        /** Zero-pad sensor numbers to this many digits (default 5 for sensorflow, else 0). */
        public Builder idWidth(int width) { idWidth = width; return this; }
        public Builder interval(Duration d) { interval = d; return this; }
        public Builder rate(double readingsPerSecond) { rate = readingsPerSecond; return this; }
        public Builder count(long readings) { count = readings; return this; }
        public Builder duration(Duration d) { duration = d; return this; }
        public Builder start(Instant t) { start = t; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder format(PayloadFormat f) { format = f; return this; }
        public Builder values(ValueModel m) { values = m; return this; }
        public Builder output(OutputKind o) { output = o; return this; }
        public Builder bootstrapServers(String servers) { bootstrapServers = servers; return this; }
        /** The MQTT broker of the MQTT output, e.g. {@code tcp://localhost:1883}. */
        public Builder mqttBroker(String uri) { mqttBroker = uri; return this; }
        public Builder topic(String t) { topic = t; return this; }
        public Builder partitions(int n) { partitions = n; return this; }
        public Builder producerProperty(String key, String value) { producerProperties.put(key, value); return this; }
        public Builder fault(FaultSpec f) { faults.add(f); return this; }
        public Builder faults(List<? extends FaultSpec> fs) { faults.addAll(fs); return this; }
        public Builder clearFaults() { faults.clear(); return this; }
        public Builder oracle(OracleParameters p) { oracle = p; return this; }
        /** Alert rules: the expected outcome then lists their alerts (null: none). */
        public Builder rules(RuleSet r) { rules = r; return this; }
        public Builder progressInterval(Duration d) { progressInterval = d; return this; }

        public SimulatorSettings build() {
            check(sensors >= 1 && sensors <= MAX_SENSORS, "--sensors",
                    "must be between 1 and " + MAX_SENSORS + ", was " + sensors);
            check(format != null, "--format", "is required (" + PayloadFormat.names() + ")");
            check(values != null, "--values", "is required (" + ValueModel.names() + ")");
            if (idPrefix != null) {
                check(!format.integerIds() || idPrefix.isEmpty(), "--id-prefix",
                        "the int-id format has integer ids: no prefix");
                check(PREFIX.matcher(idPrefix).matches(), "--id-prefix",
                        "use at most 100 of A-Z a-z 0-9 _ . : - (was '" + idPrefix + "')");
            }
            if (idWidth != null) {
                check(idWidth >= 0 && idWidth <= 10, "--id-width", "must be between 0 and 10, was " + idWidth);
                check(!format.integerIds() || idWidth == 0, "--id-width", "the int-id format has plain integer ids");
            }
            check(interval != null && interval.toMillis() >= 1, "--interval", "must be at least 1ms, was " + interval);
            check(interval.compareTo(Duration.ofDays(1)) <= 0, "--interval", "must be at most 1d, was " + Durations.format(interval));
            check(format.carriesSeqDistanceAndMotion() || interval.toMillis() >= 1000, "--interval",
                    "the " + format + " format carries only DHT11 values, which are read at most once a second:"
                            + " must be at least 1s, was " + Durations.format(interval));
            check(Double.isFinite(rate) && rate >= 0, "--rate", "must be 0 (as fast as possible) or a positive number, was " + rate);
            check(!(count != 0 && duration != null), "--count", "give --count or --duration, not both");
            check(count >= 0, "--count", "must be at least 1, was " + count);
            check(duration == null || duration.toMillis() >= 1, "--duration", "must be positive, was " + duration);
            if (start != null) {
                check(!start.isBefore(Instant.EPOCH), "--start", "must not be before 1970 (the job rejects such times)");
                check(start.isBefore(Instant.parse("9000-01-01T00:00:00Z")), "--start", "must be before the year 9000");
            }
            check(output != null, "--output", "is required (kafka, mqtt or stdout)");
            if (output == OutputKind.KAFKA) {
                check(bootstrapServers != null && !bootstrapServers.isBlank(), "--bootstrap-servers", "is required for Kafka output");
                check(topic != null && TOPIC.matcher(topic).matches(), "--topic",
                        "use 1 to 249 of A-Z a-z 0-9 . _ - (was '" + topic + "')");
            }
            if (output == OutputKind.MQTT) {
                check(mqttBroker != null && MQTT_URI.matcher(mqttBroker).matches(), "--mqtt-broker",
                        "must be tcp://HOST:PORT (or ssl://, ws://, wss://), was '" + mqttBroker + "'");
            }
            check(partitions >= 0, "--partitions", "must be 0 (let the broker decide) or more, was " + partitions);
            check(oracle != null, "--window-size", "oracle parameters are required");
            check(oracle.windowSizeMs() >= 1, "--window-size", "must be positive");
            check(oracle.outOfOrdernessMs() >= 0, "--out-of-orderness", "must not be negative");
            check(oracle.watermarkGranularityMs() >= 1, "--watermark-granularity", "must be positive");
            check(oracle.allowedLatenessMs() >= 0, "--allowed-lateness", "must not be negative");
            check(progressInterval != null && !progressInterval.isNegative(), "--progress", "must be 0 (off) or positive");
            SimulatorSettings s = new SimulatorSettings(this);
            if (!faults.isEmpty()) {
                Faults.validate(s.faults, new FaultContext(s.format, s.interval.toMillis(), s.oracle,
                        s.sensorIds(), s.bounded()));
            }
            return s;
        }

        private static void check(boolean ok, String option, String problem) {
            if (!ok) {
                throw new SettingsException(option, problem);
            }
        }
    }
}
