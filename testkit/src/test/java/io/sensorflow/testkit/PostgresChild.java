package io.sensorflow.testkit;

/** Run in a separate JVM by {@link LocalPostgresLifecycleTest}, which kills it. */
public final class PostgresChild {

    static final String READY = "READY";

    private PostgresChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalPostgres postgres = LocalPostgres.start();
        long pid = postgres.postmaster().orElseThrow().pid();
        System.out.println(READY + " " + postgres.port() + " " + pid + " " + postgres.directory());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
