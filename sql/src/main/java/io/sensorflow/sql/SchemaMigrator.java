package io.sensorflow.sql;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned migrations in {@code sql/migrations} to a PostgreSQL database with Flyway. */
public final class SchemaMigrator {

    /** Where the build puts {@code sql/migrations} on the classpath. */
    public static final String LOCATION = "classpath:db/migration";

    private SchemaMigrator() {}

    /** Brings the schema up to the latest version and returns it; a no-op when it already is. */
    public static String migrate(String jdbcUrl, String user, String password) {
        Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                // Several jobs may start at once against one database; Flyway serializes them with a lock.
                .validateMigrationNaming(true)
                .load();
        MigrateResult result = flyway.migrate();
        return result.targetSchemaVersion != null
                ? result.targetSchemaVersion
                : flyway.info().current().getVersion().getVersion();
    }
}
