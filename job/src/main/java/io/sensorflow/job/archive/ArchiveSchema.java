package io.sensorflow.job.archive;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The columns of an archived reading, named as in the reading's JSON and the PostgreSQL tables.
 * Documented in sql/README.md ("The archive"); a change here is a change of that contract.
 */
public final class ArchiveSchema {

    public static final String SENSOR_ID = "sensor_id";
    public static final String TS = "ts";
    public static final String TEMPERATURE = "temperature";
    public static final String HUMIDITY = "humidity";
    public static final String DISTANCE_CM = "distance_cm";
    public static final String MOTION = "motion";
    public static final String SEQ = "seq";

    /** Absent measurements are nulls, not NaN: SQL's AVG and MAX then skip them. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message sensor_reading {\n"
            + "  required binary sensor_id (STRING);\n"
            + "  required int64 ts (TIMESTAMP(MILLIS,true));\n"
            + "  optional double temperature;\n"
            + "  optional double humidity;\n"
            + "  optional double distance_cm;\n"
            + "  optional boolean motion;\n"
            + "  optional int64 seq;\n"
            + "}");

    private ArchiveSchema() {}
}
