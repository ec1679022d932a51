package io.sensorflow.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Clients connect to {@link #bootstrapServers()} over PLAINTEXT on 127.0.0.1. The broker can be stopped and
 * started again on the same ports and data, to test how clients ride out a broker outage. Everything is
 * removed by {@link #close()}.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int RANDOM_PORT_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int clientPort;
    private final int controllerPort;
    private final Properties serverProps;
    private final Duration transactionMaxTimeout;
    private final List<String> fatalFaults = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeOnShutdown, "localkafka-shutdown");

    private KafkaRaftServer server;
    private boolean closed;

    private LocalKafka(int clientPort, int controllerPort) throws IOException {
        this.clientPort = clientPort;
        this.controllerPort = controllerPort;
        this.dataDir = Files.createTempDirectory("localkafka-");
        try {
            this.serverProps = serverProperties(clientPort, controllerPort, dataDir.resolve("log"));
            // Building the config once up front validates the properties before anything is started.
            this.transactionMaxTimeout = Duration.ofMillis(
                    KafkaConfig.fromProps(serverProps, false).getInt("transaction.max.timeout.ms"));
            formatStorage();
        } catch (Throwable t) {
            deleteDataDir();
            throw t;
        }
    }

    /** Starts a broker on free random ports. */
    public static LocalKafka start() {
        return startRetryingBindFailures(Ports::freePort);
    }

    /**
     * Starts a broker whose clients connect on {@code clientPort} (for example 9092 for the local stack).
     *
     * @throws IllegalStateException if the port is already in use
     */
    public static LocalKafka start(int clientPort) {
        Ports.requireFree(clientPort, "Kafka client");
        return startRetryingBindFailures(() -> clientPort);
    }

    private static LocalKafka startRetryingBindFailures(IntSupplier clientPorts) {
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= RANDOM_PORT_ATTEMPTS; attempt++) {
            int clientPort = clientPorts.getAsInt();
            int controllerPort = freePortOtherThan(clientPort);
            try {
                return startOn(clientPort, controllerPort);
            } catch (RuntimeException e) {
                // A free port can be taken between choosing it and binding it: try other ones.
                if (!causedByBindFailure(e)) {
                    throw e;
                }
                LOG.info("Kafka could not bind port {} or {}, retrying", clientPort, controllerPort);
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    static LocalKafka startOn(int clientPort, int controllerPort) {
        LocalKafka kafka;
        try {
            kafka = new LocalKafka(clientPort, controllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka data directory", e);
        }
        try {
            kafka.startBroker();
            Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
            return kafka;
        } catch (RuntimeException e) {
            kafka.closeQuietly(e);
            throw e;
        }
    }

    /** {@code host:port} for the {@code bootstrap.servers} client setting. */
    public String bootstrapServers() {
        return bootstrapServersOn(clientPort);
    }

    /** The address {@link #bootstrapServers()} gives for a broker on {@code port}, before it is started. */
    public static String bootstrapServersOn(int port) {
        return HOST + ":" + port;
    }

    public int clientPort() {
        return clientPort;
    }

    int controllerPort() {
        return controllerPort;
    }

    /** The broker's {@code transaction.max.timeout.ms}: transactional producers must not ask for more. */
    public Duration transactionMaxTimeout() {
        return transactionMaxTimeout;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Starts the broker again after {@link #stopBroker()}, on the same ports and with the same data. Returns once
     * the broker accepts clients. Does nothing if it is running.
     */
    public synchronized void startBroker() {
        ensureOpen();
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        FatalFaults.register(this);
        KafkaRaftServer newServer = new KafkaRaftServer(KafkaConfig.fromProps(serverProps, false), Time.SYSTEM);
        try {
            // Blocks until the broker has caught up with the metadata log and is unfenced.
            newServer.startup();
        } catch (RuntimeException e) {
            shutdown(newServer);
            throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers() + ": " + rootMessage(e), e);
        }
        server = newServer;
        awaitClusterReady();
        LOG.info("Kafka broker up on {} in {} ms", bootstrapServers(), elapsedMs(started));
    }

    /** Stops the broker, keeping its data and ports for {@link #startBroker()}. Does nothing if it is stopped. */
    public synchronized void stopBroker() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        shutdown(server);
        server = null;
        LOG.info("Kafka broker on {} stopped in {} ms", bootstrapServers(), elapsedMs(started));
    }

    /** {@link #stopBroker()} then {@link #startBroker()}. */
    public synchronized void restart() {
        stopBroker();
        startBroker();
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with replication factor 1 and returns once every partition has a leader that serves
     * requests. An existing topic with the same partition count is accepted as it is (its configs are not
     * compared).
     *
     * @throws IllegalStateException if the topic exists with another partition count
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        ensureOpen();
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)).configs(configs);
        try (Admin admin = Admin.create(adminProperties())) {
            try {
                await(admin.createTopics(List.of(topic)).all(), ADMIN_TIMEOUT);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e.getCause());
                }
            }
            awaitTopicUsable(admin, name, partitions);
        }
    }

    /**
     * Drops this broker's own JVM shutdown hook, for a caller that stops everything itself on shutdown in its own
     * order (run-local stops the job before the brokers it writes to, so that nothing logs about a vanished broker).
     */
    public LocalKafka withoutShutdownHook() {
        removeShutdownHook();
        return this;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopBroker();
        } finally {
            FatalFaults.unregister(this);
            deleteDataDir();
            removeShutdownHook();
        }
        if (!fatalFaults.isEmpty()) {
            throw new IllegalStateException("The Kafka broker hit fatal faults while it ran: " + fatalFaults);
        }
    }

    /** So that an application stopped with Ctrl-C leaves no data behind; tests close explicitly. */
    private void closeOnShutdown() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.error("Closing the Kafka broker on {} at JVM shutdown failed", bootstrapServers(), e);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: this may be the hook itself running.
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static Properties serverProperties(int clientPort, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // One node: internal topics can have only one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Few internal partitions: fewer files, and coordinators load faster after a restart.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");

        // Consumers join at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Tests create their topics explicitly, as the pipeline does in production.
        p.put("auto.create.topics.enable", "false");
        // transaction.max.timeout.ms stays at its default (15 min), like a production broker.

        // Small footprint: the defaults are sized for a dedicated machine (the cleaner alone takes 128 MB).
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");
        return p;
    }

    private void formatStorage() throws IOException {
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            serverProps.store(out, "LocalKafka");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()},
                    printStream);
        }
        String text = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed (exit code " + exitCode + "): " + text);
        }
        LOG.debug("Formatted Kafka storage: {}", text);
    }

    private void awaitClusterReady() {
        try (Admin admin = Admin.create(adminProperties())) {
            Collection<?> nodes = await(admin.describeCluster().nodes(), ADMIN_TIMEOUT);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " reports no nodes");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " does not answer clients", e);
        }
    }

    private void awaitTopicUsable(Admin admin, String name, int partitions) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Exception lastFailure = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = await(admin.describeTopics(Set.of(name)).topicNameValues().get(name), ADMIN_TIMEOUT);
                if (description.partitions().size() != partitions) {
                    throw new IllegalStateException("Topic " + name + " already exists with "
                            + description.partitions().size() + " partitions, not " + partitions);
                }
                if (description.partitions().stream().allMatch(p -> p.leader() != null)) {
                    // The leader answering a list-offsets request proves its metadata cache has the partition.
                    Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                            .map(TopicPartitionInfo::partition)
                            .collect(Collectors.toMap(p -> new TopicPartition(name, p), p -> OffsetSpec.latest()));
                    await(admin.listOffsets(latest).all(), ADMIN_TIMEOUT);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Topic " + name + " is not usable: " + e.getCause(), e.getCause());
                }
                lastFailure = e;
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("Topic " + name + " was not usable within " + ADMIN_TIMEOUT, lastFailure);
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "localkafka-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ADMIN_TIMEOUT.toMillis()));
        return p;
    }

    private static void shutdown(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker did not shut down cleanly", e);
        }
    }

    private void deleteDataDir() {
        try {
            Utils.delete(dataDir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete Kafka data directory {}", dataDir, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("LocalKafka on " + bootstrapServers() + " is closed");
        }
    }

    private static <T> T await(KafkaFuture<T> future, Duration timeout) throws ExecutionException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    private static int freePortOtherThan(int port) {
        int other;
        do {
            other = Ports.freePort();
        } while (other == port);
        return other;
    }

    /** Kafka wraps the interesting failure (e.g. "failed to bind to 127.0.0.1:9093") a few levels deep. */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KafkaException && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * On a fatal fault the broker calls {@link Exit#halt}, which would kill the whole test JVM. While a broker
     * runs here, halts and exits are recorded instead, and {@link LocalKafka#close()} reports them.
     */
    private static final class FatalFaults {
        private static final List<LocalKafka> LIVE = new ArrayList<>();

        static synchronized void register(LocalKafka kafka) {
            if (LIVE.contains(kafka)) {
                return;
            }
            if (LIVE.isEmpty()) {
                Exit.setHaltProcedure((status, message) -> record("halt", status, message));
                Exit.setExitProcedure((status, message) -> record("exit", status, message));
            }
            LIVE.add(kafka);
        }

        static synchronized void unregister(LocalKafka kafka) {
            if (LIVE.remove(kafka) && LIVE.isEmpty()) {
                Exit.resetHaltProcedure();
                Exit.resetExitProcedure();
            }
        }

        private static synchronized void record(String action, int status, String message) {
            String fault = "Kafka asked to " + action + " the JVM with status " + status + ": " + message;
            LOG.error("{} (ignored: a LocalKafka broker runs in this JVM)", fault, new Exception("stack trace"));
            LIVE.forEach(kafka -> kafka.fatalFaults.add(fault));
        }
    }
}
