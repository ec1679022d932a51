package io.sensorflow.rules;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sensors a rule applies to: all (the default), those whose id is in a list, or those whose
 * whole id matches a Java regular expression. Decide it once per sensor ({@link #includes}) and
 * keep the answer: a regex match per reading would cost more than most rules.
 */
public final class SensorScope implements Serializable {

    private static final long serialVersionUID = 1L;

    /** At most this many ids in a list, each non-empty and at most {@link #MAX_ID_LENGTH} characters. */
    public static final int MAX_IDS = 10_000;
    public static final int MAX_ID_LENGTH = 128;
    /** At most this many characters in a {@code match} pattern. */
    public static final int MAX_PATTERN_LENGTH = 500;
    /**
     * Reads of a sensor id that one {@code match} may make before it is given up. The length bounds
     * do not bound a match's time: {@code (.*a){12}} reads an id of n a's and one other character about n^12 times, and a
     * match runs on the source's thread for each new sensor. A sane pattern reads an id of 128
     * characters a few hundred times; a million reads take a few milliseconds.
     */
    static final long MATCH_BUDGET = 1_000_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SensorScope.class);

    public static final SensorScope ALL = new SensorScope(null, null);

    /** The ids, when the scope is a list (else null). */
    private final Set<String> ids;
    /** The regex, when the scope is a pattern (else null). */
    private final String match;
    private transient Pattern pattern;
    /** Matches given up on ({@link #MATCH_BUDGET}), for the log. */
    private transient long givenUp;

    private SensorScope(Set<String> ids, String match) {
        this.ids = ids;
        this.match = match;
    }

    /** The sensors with these ids: 1 to {@value #MAX_IDS} distinct non-empty ids of at most {@value #MAX_ID_LENGTH} characters. */
    public static SensorScope ids(Collection<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("a scope lists 1 to " + MAX_IDS + " sensor ids, not " + ids.size());
        }
        Set<String> set = new HashSet<>();
        for (String id : ids) {
            if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
                throw new IllegalArgumentException("a sensor id of a scope must have 1 to " + MAX_ID_LENGTH + " characters");
            }
            if (!set.add(id)) {
                throw new IllegalArgumentException("the sensor id '" + id + "' is listed twice");
            }
        }
        return new SensorScope(Collections.unmodifiableSet(set), null);
    }

    /**
     * The sensors whose whole id matches {@code regex} (a Java regular expression of at most
     * {@value #MAX_PATTERN_LENGTH} characters); {@link java.util.regex.PatternSyntaxException} when it does not compile.
     */
    public static SensorScope matching(String regex) {
        if (regex.isEmpty() || regex.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("a scope's pattern must have 1 to " + MAX_PATTERN_LENGTH + " characters");
        }
        SensorScope s = new SensorScope(null, regex);
        s.pattern = Pattern.compile(regex);
        return s;
    }

    public boolean isAll() {
        return ids == null && match == null;
    }

    /** The listed ids, or null when the scope is not a list. */
    public Set<String> idList() {
        return ids;
    }

    /** The regex, or null when the scope is not a pattern. */
    public String match() {
        return match;
    }

    /** Whether the rule applies to this sensor. A regex match: call once per sensor and keep the answer. */
    public boolean includes(String sensorId) {
        if (ids != null) {
            return ids.contains(sensorId);
        }
        if (match != null) {
            Pattern p = pattern;
            if (p == null) {
                pattern = p = Pattern.compile(match); // after deserialization
            }
            try {
                return p.matcher(new BudgetedId(sensorId)).matches();
            } catch (MatchTooCostly e) {
                // Not in scope rather than a stalled source: say so, without flooding the log.
                if (givenUp++ % 1000 == 0) {
                    LOG.warn("The scope pattern '{}' gave up on sensor id '{}' after {} reads of it (catastrophic"
                            + " backtracking; {} ids so far): the rule does not apply to them. Rewrite the pattern"
                            + " without a repeated group with .* in it, such as (.*a){12}.", match, sensorId, MATCH_BUDGET, givenUp);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * An id on which {@code regex} gives up ({@link #MATCH_BUDGET}), or null when none of the probes
     * makes it: for each character the pattern names, that character {@value #MAX_ID_LENGTH} times,
     * and one fewer times followed by a character no id has. The catastrophic patterns people write
     * (a group with {@code .*} repeated, {@code (.*a){12}}) fail on one of these; the budget at run
     * time catches the rest.
     */
    public static String costlyProbe(String regex) {
        Pattern p = Pattern.compile(regex);
        java.util.Set<Character> chars = new java.util.TreeSet<>(java.util.List.of('a', '0', '-', '_', '.'));
        for (char c : regex.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':') {
                chars.add(c);
            }
        }
        for (char c : chars) {
            String run = String.valueOf(c).repeat(MAX_ID_LENGTH);
            for (String probe : new String[] {run, run.substring(1) + '\u0001'}) {
                try {
                    p.matcher(new BudgetedId(probe)).matches();
                } catch (MatchTooCostly e) {
                    return probe;
                }
            }
        }
        return null;
    }

    private static final class MatchTooCostly extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MatchTooCostly() {
            super(null, null, false, false); // thrown to unwind a match: no stack trace to fill
        }
    }

    /** A sensor id that a regex may read at most {@link #MATCH_BUDGET} times (java.util.regex reads through charAt). */
    private static final class BudgetedId implements CharSequence {
        private final String id;
        private long reads;

        BudgetedId(String id) {
            this.id = id;
        }

        @Override
        public char charAt(int index) {
            if (++reads > MATCH_BUDGET) {
                throw new MatchTooCostly();
            }
            return id.charAt(index);
        }

        @Override
        public int length() {
            return id.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return id.subSequence(start, end);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * The scope as text for a rule's fingerprint: empty for all sensors, so that rules without a
     * scope keep the uids they had before scopes existed; else the sorted ids (each with its length,
     * so no id can be mistaken for two) or the regex.
     */
    public String definition() {
        if (ids != null) {
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            StringBuilder b = new StringBuilder("ids");
            for (String id : sorted) {
                b.append('|').append(id.getBytes(StandardCharsets.UTF_8).length).append(':').append(id);
            }
            return b.toString();
        }
        return match != null ? "match|" + match : "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorScope s && java.util.Objects.equals(ids, s.ids) && java.util.Objects.equals(match, s.match);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(ids, match);
    }

    @Override
    public String toString() {
        return ids != null ? "sensors " + (ids.size() <= 5 ? new java.util.TreeSet<>(ids) : ids.size() + " ids")
                : match != null ? "sensors matching " + match : "all sensors";
    }
}
