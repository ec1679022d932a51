package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.simulator.PayloadFormat;

/** What a fault is checked against: the settings it will run with. */
public record FaultContext(PayloadFormat format, long intervalMs, OracleParameters oracle, SensorIds ids,
        boolean bounded) {}
