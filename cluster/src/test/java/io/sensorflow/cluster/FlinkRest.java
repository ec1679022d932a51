package io.sensorflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The calls a user makes against Flink's REST API (the same ones as the README's {@code curl}
 * commands), over plain HTTP with JSON: upload and run a jar, look at a job and its metrics, stop
 * it with a savepoint, cancel it.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(URI base) {
        this.base = base;
    }

    /** {@code POST /jars/upload}, multipart field {@code jarfile}; returns the jar's id. */
    String uploadJar(Path jar) throws IOException {
        String boundary = "sensorflow-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 200);
        String filename = r.get("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/{id}/run}; runs the jar's main method on the JobManager; returns the job id. */
    String runJar(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath)
            throws IOException {
        ObjectNode request = JSON.createObjectNode()
                .put("entryClass", entryClass)
                .put("parallelism", parallelism);
        args.forEach(request.putArray("programArgsList")::add);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
        }
        return post("/jars/" + jarId + "/run", request).get("jobid").asText();
    }

    /** {@code GET /jobs/{id}}: status, vertices with their names, parallelism and status. */
    JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    /**
     * Fails unless the job never restarted ({@code GET /jobs/{id}}'s {@code timestamps.RESTARTING} is
     * 0): a test that kills nothing must not pass on a job that failed and came back.
     */
    void assertNeverRestarted(String jobId) throws IOException {
        JsonNode timestamps = job(jobId).path("timestamps");
        if (timestamps.path("RESTARTING").asLong(-1) != 0) {
            throw new AssertionError("job " + jobId + " restarted (timestamps " + timestamps + "): " + exceptions(jobId));
        }
    }

    String status(String jobId) throws IOException {
        return job(jobId).get("state").asText();
    }

    /** Waits until the job and every one of its tasks run; fails at once if the job ends. */
    JsonNode awaitRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(jobId);
        while (System.nanoTime() < deadline) {
            job = job(jobId);
            String state = job.get("state").asText();
            if (TERMINAL.contains(state)) {
                throw new AssertionError("job " + jobId + " is " + state + " instead of running: " + exceptions(jobId));
            }
            boolean allRunning = state.equals("RUNNING") && job.get("vertices").size() > 0;
            for (JsonNode v : job.get("vertices")) {
                allRunning &= v.get("status").asText().equals("RUNNING");
            }
            if (allRunning) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " not running within " + timeout + ": " + job);
    }

    /** Waits until the job is in {@code state}; fails at once if it ends in another. */
    void awaitStatus(String jobId, String state, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String now = status(jobId);
        while (!now.equals(state) && System.nanoTime() < deadline) {
            if (TERMINAL.contains(now)) {
                throw new AssertionError("job " + jobId + " is " + now + ", not " + state + ": " + exceptions(jobId));
            }
            Thread.sleep(200);
            now = status(jobId);
        }
        if (!now.equals(state)) {
            throw new AssertionError("job " + jobId + " is " + now + ", not " + state + " after " + timeout);
        }
    }

    /** {@code GET /jobs/{id}/exceptions}: why a job failed. */
    String exceptions(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/exceptions").toPrettyString();
    }

    /** {@code GET /jobs/{id}/vertices/{vid}/subtasks/metrics}: the names of the metrics of a vertex's subtasks. */
    List<String> metricNames(String jobId, String vertexId) throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
            names.add(m.get("id").asText());
        }
        return names;
    }

    /**
     * {@code GET /jobs/{id}/vertices/{vid}/subtasks/metrics?get=NAME&agg=AGG}: the metric over the
     * vertex's subtasks, aggregated by {@code agg} (sum, min, max, avg), or null while no subtask
     * reports it.
     */
    Double subtaskMetric(String jobId, String vertexId, String name, String agg) throws IOException {
        JsonNode r = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?get="
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&agg=" + agg);
        return r.size() == 0 || !r.get(0).has(agg) ? null : r.get(0).get(agg).asDouble();
    }

    /**
     * Every metric of the job whose name ends with {@code suffix}, aggregated over subtasks by
     * {@code agg}, by "vertex name / metric name".
     */
    Map<String, Double> metricsEndingWith(String jobId, String suffix, String agg) throws IOException {
        Map<String, Double> found = new TreeMap<>();
        for (JsonNode v : job(jobId).get("vertices")) {
            String vid = v.get("id").asText();
            for (String name : metricNames(jobId, vid)) {
                if (name.endsWith(suffix)) {
                    Double value = subtaskMetric(jobId, vid, name, agg);
                    if (value != null) {
                        found.put(v.get("name").asText() + " / " + name, value);
                    }
                }
            }
        }
        return found;
    }

    /** The sum over every vertex and subtask of the counters whose names end with {@code suffix}. */
    double metricTotal(String jobId, String suffix) throws IOException {
        return metricsEndingWith(jobId, suffix, "sum").values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}. */
    void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()), 202);
    }

    /**
     * {@code POST /jobs/{id}/stop} with {@code {"targetDirectory": dir, "drain": false}}, then
     * {@code GET /jobs/{id}/savepoints/{trigger}} until it completes; returns the savepoint's path.
     */
    String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", request).get("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (r.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = r.get("operation");
                if (operation.has("failure-cause")) {
                    throw new AssertionError("stop with savepoint failed: " + operation.get("failure-cause"));
                }
                return operation.get("location").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stop with savepoint of job " + jobId + " did not complete within " + timeout);
    }

    /** Cancels the job if it still runs, and waits until it has ended; for clean-up. */
    void cancelQuietly(String jobId) {
        try {
            if (!TERMINAL.contains(status(jobId))) {
                cancel(jobId);
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!TERMINAL.contains(status(jobId)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not cancel job " + jobId + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET of any path, e.g. a Prometheus endpoint, as text. */
    String text(URI uri) throws IOException {
        return sendRaw(HttpRequest.newBuilder(uri).GET(), 200);
    }

    JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), 200);
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 200, 202);
    }

    private JsonNode send(HttpRequest.Builder request, int... ok) throws IOException {
        String body = sendRaw(request, ok);
        return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    private String sendRaw(HttpRequest.Builder request, int... ok) throws IOException {
        HttpRequest r = request.timeout(TIMEOUT).build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + r.method() + " " + r.uri(), e);
        }
        for (int code : ok) {
            if (response.statusCode() == code) {
                return response.body();
            }
        }
        throw new IOException(r.method() + " " + r.uri() + " answered " + response.statusCode() + ": " + response.body());
    }

    private URI uri(String path) {
        return base.resolve(path);
    }
}
