package io.sensorflow.simulator.fault;

import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.SensorIds;
import io.sensorflow.simulator.oracle.OracleParameters;

/** What a fault is checked against: the settings it will run with. */
public record FaultContext(PayloadFormat format, long intervalMs, OracleParameters oracle, SensorIds ids,
        boolean bounded) {}
