package io.sensorflow.rules.yaml;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Reads a small YAML file that people write (a rule file, a scenario) into a tree, refusing what
 * is valid YAML but would be read wrongly or silently: more than 1 MiB, a second document, an
 * anchor or alias, a key given twice in a mapping. {@link #unfitValue} finds the values a tree
 * can hold but no such file means (1e400, !!binary). Messages call the file {@code what}.
 */
public final class StrictYaml {

    /**
     * Such files are small; this bounds what a mistaken path can make a program read, and what the
     * YAML parser is given (it rescans a long token from its start: quadratic in the token).
     */
    public static final int MAX_BYTES = 1 << 20;

    private final String what;
    private final YAMLMapper strict;
    /** The same, but the last of a duplicate key counts: only to name where a duplicate key is. */
    private final YAMLMapper lastKeyCounts;

    /** {@code what} names the kind of file in messages, e.g. "a rule file". */
    public StrictYaml(String what) {
        this.what = what;
        this.strict = mapper(what, false);
        this.lastKeyCounts = mapper(what, true);
    }

    private static YAMLMapper mapper(String what, boolean allowDuplicateKeys) {
        LoaderOptions options = new LoaderOptions();
        // Jackson reads this as StreamReadFeature.STRICT_DUPLICATE_DETECTION (jackson-dataformats-text#413).
        options.setAllowDuplicateKeys(allowDuplicateKeys);
        return new YAMLMapper(new Factory(YAMLFactory.builder().loaderOptions(options), what));
    }

    /**
     * The bytes of {@code file}, never more than one byte past the bound whatever its size said: a
     * file can grow, and a device or a pipe has no size (/dev/zero says 0).
     *
     * @throws Problem of kind {@link Problem.Kind#TOO_LARGE}
     */
    public byte[] readFile(Path file) throws IOException, Problem {
        // A huge file is a mistake, not something to read into memory.
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw tooLarge(size);
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_BYTES + 1);
        }
        if (content.length > MAX_BYTES) {
            throw tooLarge(-1);
        }
        return content;
    }

    /** The one document in {@code content}; a {@link MissingNode} when there is none. */
    public JsonNode read(byte[] content) throws Problem {
        if (content.length > MAX_BYTES) {
            throw tooLarge(content.length); // before the parser sees any of it
        }
        JsonNode doc;
        try (JsonParser parser = strict.createParser(content)) {
            doc = strict.readTree(parser);
            parser.nextToken(); // past the document: another one is refused (Parser)
        } catch (Refused e) {
            throw new Problem(Problem.Kind.REFUSED, e.getOriginalMessage(), List.of(), -1, -1, null, e);
        } catch (JsonProcessingException e) {
            List<Object> duplicate = duplicateKey(e);
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            if (duplicate != null) {
                throw new Problem(Problem.Kind.DUPLICATE_KEY, "given again at line " + line + "; a key may be given only once",
                        duplicate, line, column, lastKeyCounting(content), e);
            }
            // SnakeYAML's messages show a snippet over several lines: one line, so a caller can name the file.
            throw new Problem(Problem.Kind.NOT_YAML, e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", " "),
                    List.of(), line, column, null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // from bytes in memory: not expected
        }
        return doc == null ? MissingNode.getInstance() : doc;
    }

    /** {@code content} read as YAML reads it, the last of a duplicate key counting; null when it cannot be read so. */
    private JsonNode lastKeyCounting(byte[] content) {
        try {
            return lastKeyCounts.readTree(content);
        } catch (IOException | RuntimeException e) {
            return null; // another problem further on
        }
    }

    /** "4000000 bytes, more than ..."; {@code size} -1 when only the bound is known. */
    private Problem tooLarge(long size) {
        return new Problem(Problem.Kind.TOO_LARGE, (size < 0 ? "" : size + " bytes, ") + "more than the " + MAX_BYTES
                + " bytes (1 MiB) " + what + " may have", List.of(), -1, -1, null, null);
    }

    /** Where a key given twice is (keys as strings, list positions as integers), when {@code e} reports one; otherwise null. */
    private static List<Object> duplicateKey(JsonProcessingException e) {
        if (e.getClass() == JsonParseException.class && e.getProcessor() instanceof JsonParser parser
                && parser.getParsingContext() != null && e.getLocation() != null) {
            String key = parser.getParsingContext().getCurrentName();
            if (key != null && e.getOriginalMessage().equals("Duplicate field '" + key + "'")) {
                List<Object> path = new ArrayList<>();
                for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                    path.add(c.inArray() ? (Object) c.getCurrentIndex() : c.getCurrentName());
                }
                Collections.reverse(path);
                return path;
            }
        }
        return null;
    }

    /** A name from the file, shortened for a message: it can be as long as the file. */
    public static String shorten(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    /**
     * The first value in {@code node} (itself or within) that a tree read from YAML can hold but
     * no text or number in such a file means, described; or null. YAML's !!binary values, and
     * numbers past a double (1e400 reads as Infinity, which reads on as the text "Infinity").
     */
    public static String unfitValue(JsonNode node) {
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

    /** Why a file was not read; the message does not name the file, so that the caller can. */
    public static final class Problem extends Exception {

        private static final long serialVersionUID = 1L;

        public enum Kind {
            /** More than {@link StrictYaml#MAX_BYTES}: "4000000 bytes, more than the 1048576 bytes (1 MiB) a rule file may have". */
            TOO_LARGE,
            /** Valid YAML the file does not take: "a second YAML document at line 7, column 1; a rule file is one document". */
            REFUSED,
            /** A key given twice: {@link Problem#path()} is where; "given again at line 7; a key may be given only once". */
            DUPLICATE_KEY,
            /** Not YAML: the parser's message on one line; {@link Problem#line()} and {@link Problem#column()} when known. */
            NOT_YAML
        }

        private final Kind kind;
        private final transient List<Object> path;
        private final int line;
        private final int column;
        private final transient JsonNode lastKeyCounts;

        Problem(Kind kind, String message, List<Object> path, int line, int column, JsonNode lastKeyCounts, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.path = List.copyOf(path);
            this.line = line;
            this.column = column;
            this.lastKeyCounts = lastKeyCounts;
        }

        public Kind kind() {
            return kind;
        }

        /** For a duplicate key: the keys (String) and list positions (Integer) from the top to it; otherwise empty. */
        public List<Object> path() {
            return path;
        }

        /** The line (from 1) the problem is on, or -1. */
        public int line() {
            return line;
        }

        /** The column (from 1) the problem is at, or -1. */
        public int column() {
            return column;
        }

        /**
         * For a duplicate key: the document as YAML reads it, the last of each key counting (to name
         * what holds the key, e.g. a rule by its id); null otherwise or when it cannot be read so.
         */
        public JsonNode lastKeyCounts() {
            return lastKeyCounts;
        }
    }

    /**
     * Jackson's YAML factory with a parser that refuses, as it reads, what is valid YAML but not
     * taken (Jackson's own YAMLAnchorReplayingFactory hooks into the parser the same way).
     */
    private static final class Factory extends YAMLFactory {

        private static final long serialVersionUID = 1L;

        private final String what;

        Factory(YAMLFactoryBuilder builder, String what) {
            super(builder);
            this.what = what;
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
            return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader, what);
        }
    }

    /**
     * Sees each of SnakeYAML's events before Jackson makes tokens of them. Anchors and aliases are
     * refused: Jackson does not expand an alias but reads it as its anchor's name, so a file would
     * load with another meaning than YAML gives it; expanding them is the YAML bomb; and a small
     * file is short enough to write each value out.
     */
    private static final class Parser extends YAMLParser {

        private final String what;
        private int documents;

        Parser(IOContext ctxt, int parserFeatures, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
                Reader reader, String what) {
            super(ctxt, parserFeatures, yamlFeatures, options, codec, reader);
            this.what = what;
        }

        @Override
        protected Event getEvent() throws IOException {
            Event event = super.getEvent();
            // Jackson reads the first document and stops: whatever follows would be ignored unread.
            if (event instanceof DocumentStartEvent && ++documents > 1) {
                throw new Refused(this, "a second YAML document at " + at(event.getStartMark()) + "; " + what
                        + " is one document");
            }
            if (event instanceof AliasEvent alias) {
                throw new Refused(this, "an alias (*" + shorten(alias.getAnchor()) + ") at " + at(event.getStartMark()) + noAnchors());
            }
            if (event instanceof NodeEvent node && node.getAnchor() != null) {
                throw new Refused(this, "an anchor (&" + shorten(node.getAnchor()) + ") at " + at(event.getStartMark()) + noAnchors());
            }
            return event;
        }

        private String noAnchors() {
            return "; " + what + " takes no anchors (&) or aliases (*)";
        }

        private static String at(Mark mark) {
            return mark == null ? "an unknown position" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        }
    }

    /** Valid YAML that the file does not take. */
    private static final class Refused extends JsonParseException {

        private static final long serialVersionUID = 1L;

        Refused(JsonParser parser, String message) {
            super(parser, message);
        }
    }
}
