package io.sensorflow.rules;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Reads a rule file (YAML), checks it against {@code rule-file.schema.json} and returns its rules.
 * Every problem in the file is reported at once, each naming the file, the rule (position and
 * id) and the field. Refused before that, naming the file and where: more than 1 MiB, a second
 * YAML document, an anchor or alias, a key given twice in a mapping.
 */
public final class RuleFileLoader {

    static final String DEFAULT_RULES = "default-rules.yaml";

    private static final YAMLMapper YAML = mapper(false);
    /** The same, but the last of a duplicate key counts: only to name the rule of a duplicate key. */
    private static final YAMLMapper LAST_KEY_COUNTS = mapper(true);
    private static final JsonSchema SCHEMA = loadSchema();
    private static final Pattern LOCATION = Pattern.compile("^\\$(?:\\.rules\\[(\\d+)\\])?(?:\\.([A-Za-z_]+))?.*");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]*)(ms|s|m|h)");

    private RuleFileLoader() {}

    private static YAMLMapper mapper(boolean allowDuplicateKeys) {
        LoaderOptions options = new LoaderOptions();
        // Jackson reads this as StreamReadFeature.STRICT_DUPLICATE_DETECTION (jackson-dataformats-text#413).
        options.setAllowDuplicateKeys(allowDuplicateKeys);
        return new YAMLMapper(new RuleFileYaml(YAMLFactory.builder().loaderOptions(options)));
    }

    /** The rules that ship with sensorflow ({@code cep-rules/default-rules.yaml}). */
    public static RuleSet loadDefault() {
        try (InputStream in = RuleFileLoader.class.getResourceAsStream(DEFAULT_RULES)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RULES + " is missing from the classpath");
            }
            return load(DEFAULT_RULES, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleSet load(Path file) {
        byte[] content;
        try {
            // A rule file is a few kilobytes; a huge one is a mistake, not something to read into memory.
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw tooLarge(file.toString(), size);
            }
            // Never more than one byte past the bound, whatever the size said: a file can grow, and a
            // device or a pipe has no size (/dev/zero says 0).
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_FILE_BYTES + 1);
            }
        } catch (IOException e) {
            throw new RuleFileException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
        }
        if (content.length > MAX_FILE_BYTES) {
            throw tooLarge(file.toString(), -1);
        }
        return load(file.toString(), content);
    }

    /**
     * Rule files are small; this bounds what a mistaken path can make the job read, and what the
     * YAML parser is given (it rescans a long token from its start: quadratic in the token).
     */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** "FILE: the file: 4000000 bytes, more than ..."; {@code size} -1 when only the bound is known. */
    private static RuleFileException tooLarge(String source, long size) {
        return new RuleFileException(List.of(source + ": the file: " + (size < 0 ? "" : size + " bytes, ")
                + "more than the " + MAX_FILE_BYTES + " bytes (1 MiB) a rule file may have"));
    }

    /** Where a key given twice is, when {@code e} is Jackson's report of one; otherwise null. */
    private static JsonPointer duplicateKey(JsonProcessingException e) {
        if (e.getClass() == JsonParseException.class && e.getProcessor() instanceof JsonParser parser
                && parser.getParsingContext() != null && e.getLocation() != null) {
            String key = parser.getParsingContext().getCurrentName();
            if (key != null && e.getOriginalMessage().equals("Duplicate field '" + key + "'")) {
                return parser.getParsingContext().pathAsPointer();
            }
        }
        return null;
    }

    /**
     * "FILE: rules[0] (id 'quiet'), field 'after': given again at line 7; ...". The rule's id is
     * read from the file with the last of each key counting; when the file cannot be read so (it
     * has another problem further on), the problem is the top-level field's.
     */
    private static String duplicateKey(String source, byte[] content, JsonPointer at, int line) {
        List<String> path = new ArrayList<>();
        for (JsonPointer p = at; !p.matches(); p = p.tail()) {
            path.add(p.getMatchingProperty());
        }
        String again = "given again at line " + line + "; a key may be given only once";
        String key = "the key '" + shorten(path.get(path.size() - 1)) + "' " + again;
        int index = path.size() >= 3 && path.get(0).equals("rules") ? at.tail().getMatchingIndex() : -1;
        if (index >= 0) {
            JsonNode rule;
            try {
                rule = LAST_KEY_COUNTS.readTree(content).path("rules").path(index);
            } catch (IOException | RuntimeException e) {
                rule = null;
            }
            if (rule != null && rule.isObject()) {
                String id = rule.path("id").asText(""); // as describe() names it
                return source + ": rules[" + index + "]" + (id.isEmpty() ? "" : " (id '" + id + "')") + ", field '"
                        + shorten(path.get(2)) + "': " + (path.size() == 3 ? again : key);
            }
        }
        if (at.getMatchingIndex() >= 0) {
            return source + ": the file: " + key; // not a mapping at the top: not a rule file anyway
        }
        return source + ": field '" + shorten(path.get(0)) + "': " + (path.size() == 1 ? again : key);
    }

    /** A name from the file, shortened for a message: it can be as long as the file. */
    private static String shorten(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    /**
     * Values the schema validator cannot take, named by rule and field: YAML's !!binary values,
     * which no field takes (its maxLength threw NullPointerException), and numbers past a double
     * (1e400 reads as Infinity, which its enum and const threw NumberFormatException on).
     */
    private static void valuesTheSchemaCannotTake(String source, JsonNode doc, List<String> problems) {
        if (!doc.isObject()) {
            String what = cannotTake(doc);
            if (what != null) {
                problems.add(source + ": the file: " + what);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> top = doc.fields(); top.hasNext();) {
            Map.Entry<String, JsonNode> field = top.next();
            JsonNode rules = field.getValue();
            if (!field.getKey().equals("rules") || !rules.isArray()) { // not the rules: a field of the file
                String what = cannotTake(field.getValue());
                if (what != null) {
                    problems.add(source + ": field '" + field.getKey() + "': " + what);
                }
                continue;
            }
            for (int i = 0; i < rules.size(); i++) {
                JsonNode r = rules.get(i);
                if (!r.isObject()) {
                    String what = cannotTake(r);
                    if (what != null) {
                        problems.add(source + ": rules[" + i + "]: " + what);
                    }
                    continue;
                }
                String id = r.path("id").asText(""); // as describe() names it
                for (Iterator<Map.Entry<String, JsonNode>> fields = r.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    String what = cannotTake(f.getValue());
                    if (what != null) {
                        problems.add(source + ": rules[" + i + "]" + (id.isEmpty() ? "" : " (id '" + id + "')") + ", field '"
                                + f.getKey() + "': " + what);
                    }
                }
            }
        }
    }

    /** The first value in {@code node} (itself or within) that the schema validator cannot take, described; or null. */
    private static String cannotTake(JsonNode node) {
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(node)); // not recursion: nesting goes 1000 deep
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isBinary()) {
                return "a binary (!!binary) value, where text or a number belongs";
            }
            if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
                return n.asText() + " is not a finite number (a number past the range of a double)";
            }
            if (n.isContainerNode()) {
                List<JsonNode> children = new ArrayList<>();
                n.elements().forEachRemaining(children::add);
                for (int i = children.size() - 1; i >= 0; i--) {
                    todo.push(children.get(i)); // the first child next: the first in file order is named
                }
            }
        }
        return null;
    }

    /** Reads the rules in {@code content}; {@code source} names it in messages. */
    public static RuleSet load(String source, byte[] content) {
        if (content.length > MAX_FILE_BYTES) {
            throw tooLarge(source, content.length); // before the parser sees any of it
        }
        JsonNode doc;
        try (JsonParser parser = YAML.createParser(content)) {
            doc = YAML.readTree(parser);
            parser.nextToken(); // past the document: another one is refused (RuleFileParser)
        } catch (Refused e) {
            throw new RuleFileException(List.of(source + ": the file: " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            JsonPointer duplicate = duplicateKey(e);
            if (duplicate != null) {
                throw new RuleFileException(List.of(duplicateKey(source, content, duplicate, e.getLocation().getLineNr())));
            }
            // SnakeYAML's messages show a snippet over several lines: one line, so it names the file.
            throw new RuleFileException(List.of(source + ": not valid YAML: "
                    + e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", " ")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (doc == null || doc.isMissingNode()) {
            throw new RuleFileException(List.of(source + ": the file is empty"));
        }
        List<String> problems = new ArrayList<>();
        valuesTheSchemaCannotTake(source, doc, problems);
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems); // the schema validator cannot take them
        }
        // Sorted, so the report reads in file order and is the same from run to run.
        TreeSet<String> schemaProblems = new TreeSet<>();
        for (ValidationMessage m : SCHEMA.validate(doc)) {
            schemaProblems.add(describe(source, doc, m));
        }
        problems.addAll(schemaProblems);
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        JsonNode list = doc.get("rules");
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String where = source + ": rules[" + i + "] (id '" + r.get("id").asText() + "')";
            Integer first = ids.putIfAbsent(r.get("id").asText(), i);
            if (first != null) {
                problems.add(where + ", field 'id': the same id as rules[" + first + "]; ids must be unique");
            }
            toRule(r, where, problems, rules);
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return new RuleSet(source, rules);
    }

    private static void toRule(JsonNode r, String where, List<String> problems, List<Rule> rules) {
        String id = r.get("id").asText();
        Severity severity = Severity.valueOf(r.get("severity").asText().toUpperCase(Locale.ROOT));
        String description = r.path("description").asText("");
        switch (r.get("kind").asText()) {
            case "silence":
                rules.add(new SilenceRule(id, severity, description, duration(r.get("after"))));
                break;
            case "sequence":
                boolean above = r.has("above");
                if (above == r.has("below")) {
                    problems.add(where + ", fields 'above'/'below': give exactly one of them");
                    return;
                }
                String field = above ? "above" : "below";
                double threshold = r.get(field).asDouble();
                if (!Double.isFinite(threshold)) {
                    problems.add(where + ", field '" + field + "': " + r.get(field) + " is not a finite number");
                    return;
                }
                rules.add(new SequenceRule(id, severity, description, Metric.ofField(r.get("metric").asText()), above,
                        threshold, r.get("count").asInt(), duration(r.get("within"))));
                break;
            default: // "rise": the schema lets no other kind through
                double by = r.get("by").asDouble();
                if (!Double.isFinite(by)) {
                    problems.add(where + ", field 'by': " + r.get("by") + " is not a finite number");
                    return;
                }
                rules.add(new RiseRule(id, severity, description, Metric.ofField(r.get("metric").asText()),
                        by, duration(r.get("within"))));
        }
    }

    private static Duration duration(JsonNode node) {
        Matcher m = DURATION.matcher(node.asText()); // the schema checked the pattern
        if (!m.matches()) {
            throw new IllegalStateException("not a duration: " + node);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }

    /** "FILE: rules[1] (id 'x'), field 'count': must have a minimum value of 2". */
    private static String describe(String source, JsonNode doc, ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        StringBuilder where = new StringBuilder(source).append(": ");
        Matcher loc = LOCATION.matcher(location);
        String field = null;
        if (loc.matches() && loc.group(1) != null) {
            int index = Integer.parseInt(loc.group(1));
            String id = doc.path("rules").path(index).path("id").asText("");
            where.append("rules[").append(index).append(']');
            if (!id.isEmpty()) {
                where.append(" (id '").append(id).append("')");
            }
            field = loc.group(2);
        } else if (loc.matches()) {
            field = loc.group(2);
        }
        if (field == null && m.getProperty() != null) {
            field = m.getProperty(); // a missing or unknown property is reported on its parent
        }
        if (field != null) {
            where.append(loc.matches() && loc.group(1) != null ? ", " : "").append("field '").append(field).append('\'');
        } else if (loc.matches() && loc.group(1) == null) {
            where.append("the file");
        }
        String message = m.getMessage();
        int colon = message.indexOf(": ");
        return where + ": " + (colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = RuleFileLoader.class.getResourceAsStream("rule-file.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson's YAML factory with a parser that refuses, as it reads, what is valid YAML but no rule
     * file (Jackson's own YAMLAnchorReplayingFactory hooks into the parser the same way).
     */
    private static final class RuleFileYaml extends YAMLFactory {

        private static final long serialVersionUID = 1L;

        RuleFileYaml(YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
            return parser(ctxt, _createReader(data, offset, len, null, ctxt));
        }

        @Override
        protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
            return parser(ctxt, _createReader(in, null, ctxt));
        }

        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return parser(ctxt, r);
        }

        @Override
        protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
            return parser(ctxt, new CharArrayReader(data, offset, len));
        }

        private YAMLParser parser(IOContext ctxt, Reader reader) {
            return new RuleFileParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
        }
    }

    /**
     * Sees each of SnakeYAML's events before Jackson makes tokens of them. Anchors and aliases are
     * refused: Jackson does not expand an alias but reads it as its anchor's name, so a file would
     * load with another meaning than YAML gives it; expanding them is the YAML bomb; and a rule file
     * is short enough to write each value out.
     */
    private static final class RuleFileParser extends YAMLParser {

        private static final String NO_ANCHORS = "; a rule file takes no anchors (&) or aliases (*)";

        private int documents;

        RuleFileParser(IOContext ctxt, int parserFeatures, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
                Reader reader) {
            super(ctxt, parserFeatures, yamlFeatures, options, codec, reader);
        }

        @Override
        protected Event getEvent() throws IOException {
            Event event = super.getEvent();
            // Jackson reads the first document and stops: whatever follows would be ignored unread.
            if (event instanceof DocumentStartEvent && ++documents > 1) {
                throw new Refused(this, "a second YAML document at " + at(event.getStartMark())
                        + "; a rule file is one document");
            }
            if (event instanceof AliasEvent alias) {
                throw new Refused(this, "an alias (*" + shorten(alias.getAnchor()) + ") at " + at(event.getStartMark()) + NO_ANCHORS);
            }
            if (event instanceof NodeEvent node && node.getAnchor() != null) {
                throw new Refused(this, "an anchor (&" + shorten(node.getAnchor()) + ") at " + at(event.getStartMark()) + NO_ANCHORS);
            }
            return event;
        }

        private static String at(Mark mark) {
            return mark == null ? "an unknown position" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        }

    }

    /** Valid YAML that a rule file does not take; the message follows "FILE: the file: ". */
    private static final class Refused extends JsonParseException {

        private static final long serialVersionUID = 1L;

        Refused(JsonParser parser, String message) {
            super(parser, message);
        }
    }
}
