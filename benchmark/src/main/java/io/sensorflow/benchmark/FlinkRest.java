package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few reads of Flink's REST API the benchmark makes: what a user sees in the web UI. */
final class FlinkRest {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRest(URI base) {
        this.base = base;
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    /** The id of the job's vertex whose name starts with {@code prefix}. */
    String vertex(String jobId, String prefix) throws Exception {
        JsonNode vertices = get("/jobs/" + jobId).get("vertices");
        // An initializing job has no vertices yet.
        for (long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                vertices.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            vertices = get("/jobs/" + jobId).get("vertices");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode v : vertices) {
            if (v.get("name").asText().startsWith(prefix)) {
                return v.get("id").asText();
            }
            names.add(v.get("name").asText());
        }
        throw new IllegalStateException("no vertex named " + prefix + "... in job " + jobId + ", only " + names);
    }

    /** A metric summed over the vertex's subtasks; -1 while it is not there yet. */
    long subtaskSum(String jobId, String vertexId, String metric) throws Exception {
        JsonNode r = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?agg=sum&get="
                + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        return r.isEmpty() ? -1 : (long) r.get(0).get("sum").asDouble();
    }
}
