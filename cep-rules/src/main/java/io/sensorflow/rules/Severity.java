package io.sensorflow.rules;

/** How urgent an alert of a rule is. */
public enum Severity {
    INFO, WARNING, CRITICAL
}
