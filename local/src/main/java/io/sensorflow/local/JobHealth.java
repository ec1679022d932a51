package io.sensorflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How the job is doing, from Flink's REST API (the web UI's port): its state ({@code /jobs/:jobid}), how often it
 * restarted (its {@code numRestarts} metric) and the first line of the root cause of its latest failure
 * ({@code /jobs/:jobid/exceptions}), so that a job that keeps restarting says so in run-local's status line.
 *
 * @param state     RUNNING, RESTARTING, FAILING, FAILED, CANCELED ...
 * @param restarts  restarts so far; -1 when Flink has not published the metric yet
 * @param lastCause the root cause of the latest failure, first line; null if none
 */
record JobHealth(String state, long restarts, String lastCause) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CAUSE = 200;

    /** Asks the REST API at {@code base} (http://localhost:PORT) about the job {@code jobId}. */
    static JobHealth fetch(HttpClient http, String base, String jobId) throws IOException, InterruptedException {
        String state = get(http, base + "/jobs/" + jobId).path("state").asText("UNKNOWN");
        long restarts = -1;
        for (JsonNode metric : get(http, base + "/jobs/" + jobId + "/metrics?get=numRestarts")) {
            if (metric.path("id").asText().equals("numRestarts")) {
                restarts = (long) Double.parseDouble(metric.path("value").asText("-1"));
            }
        }
        JsonNode latest = null;
        for (JsonNode entry : get(http, base + "/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
            if (latest == null || entry.path("timestamp").asLong() > latest.path("timestamp").asLong()) {
                latest = entry;
            }
        }
        return new JobHealth(state, restarts, latest == null ? null : rootCause(latest.path("stacktrace").asText("")));
    }

    /** The first line of the innermost "Caused by:" of a Java stack trace, else its first line; at most 200 characters. */
    static String rootCause(String stackTrace) {
        String cause = null;
        for (String line : stackTrace.split("\n")) {
            if (cause == null) {
                cause = line.strip();
            } else if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).strip();
            }
        }
        if (cause == null || cause.isEmpty()) {
            return null;
        }
        return cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) + "..." : cause;
    }

    /** "job RUNNING, 0 restarts" or "job RESTARTING, 3 restarts, last cause: java.net.ConnectException: ...". */
    String describe() {
        StringBuilder b = new StringBuilder("job ").append(state);
        if (restarts >= 0) {
            b.append(", ").append(Words.count(restarts, "restart"));
        }
        if (lastCause != null && (restarts != 0 || !state.equals("RUNNING"))) {
            b.append(", last cause: ").append(lastCause);
        }
        return b.toString();
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
