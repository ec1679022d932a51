package io.sensorflow.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/** Where deploy/ and the repository are, and how their files are read. */
final class DeployFiles {

    static final ObjectMapper YAML = YAMLMapper.builder().build();
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private DeployFiles() {}

    /** deploy/ (Maven passes it; run from an IDE, the working directory is the module). */
    static Path deployDir() {
        String dir = System.getProperty("sensorflow.deploy.dir");
        return (dir == null ? Path.of("") : Path.of(dir)).toAbsolutePath().normalize();
    }

    static Path flinkK8s() {
        return deployDir().resolve("flink-k8s");
    }

    static Path grafana() {
        return deployDir().resolve("grafana");
    }

    static Path repoRoot() {
        return deployDir().getParent();
    }

    /** Every document of a YAML file (a file may hold several, separated by ---); empty ones left out. */
    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + " should hold one YAML document, holds " + docs.size());
        }
        return docs.get(0);
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The files below dir (build output left out), sorted, relative names with '/'. */
    static List<Path> filesBelow(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !dir.relativize(f).toString().replace('\\', '/').matches("(target|src)/.*"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A value of a pom.xml, by XPath without namespaces, e.g. /project/properties/flink.version. */
    static String pomValue(Path pom, String xpath) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            Document doc = factory.newDocumentBuilder().parse(pom.toFile());
            String value = XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
            if (value.isEmpty()) {
                throw new IllegalStateException(pom + " has no " + xpath);
            }
            return value;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + xpath + " from " + pom, e);
        }
    }

    static String flinkVersion() {
        return pomValue(repoRoot().resolve("pom.xml"), "/project/properties/flink.version");
    }

    static String projectVersion() {
        return pomValue(repoRoot().resolve("pom.xml"), "/project/version");
    }
}
