package io.sensorflow.rules;

/** One alert rule of a rule file. The id is stable: it names the rule's operator state. Serializable, as operators carry it. */
public sealed interface Rule extends java.io.Serializable permits SilenceRule, EpisodeRule {

    String id();

    Severity severity();

    /** What the rule means, for people; may be empty. */
    String description();

    /** The sensors the rule applies to; it ignores the others. */
    SensorScope scope();

    /** The rule's {@code kind} as a rule file writes it, which alerts carry as their rule_kind. */
    String kind();
}
