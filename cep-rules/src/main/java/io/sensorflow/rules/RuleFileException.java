package io.sensorflow.rules;

import java.util.List;

/** A rule file is wrong. Each problem names the file, the rule (by position and id) and the field. */
public final class RuleFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RuleFileException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
