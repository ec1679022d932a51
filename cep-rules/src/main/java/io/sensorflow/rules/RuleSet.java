package io.sensorflow.rules;

import java.util.List;

/** The rules of one rule file, in file order; {@code source} names the file. */
public record RuleSet(String source, List<Rule> rules) {

    public RuleSet {
        rules = List.copyOf(rules);
    }
}
