package io.sensorflow.rules;

/** One alert rule of a rule file. The id is stable: it names the rule's operator state. */
public sealed interface Rule permits SilenceRule, SequenceRule, RiseRule {

    String id();

    Severity severity();

    /** What the rule means, for people; may be empty. */
    String description();
}
