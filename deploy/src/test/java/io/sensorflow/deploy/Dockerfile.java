package io.sensorflow.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The instructions of deploy/flink-k8s/Dockerfile that the tests compare with the build. */
record Dockerfile(String from, Map<String, String> args, List<String> runs, String copySource, String copyTarget) {

    static Dockerfile read() {
        String from = null;
        Map<String, String> args = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        String copySource = null;
        String copyTarget = null;
        // continuation lines joined, comments dropped
        String text = DeployFiles.read(DeployFiles.flinkK8s().resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("\\s+");
            switch (words[0]) {
                case "FROM" -> from = words[1];
                case "ARG" -> {
                    String[] arg = words[1].split("=", 2);
                    args.put(arg[0], arg.length > 1 ? arg[1] : null);
                }
                case "RUN" -> runs.add(line.strip().substring(4));
                case "COPY" -> {
                    List<String> paths = new ArrayList<>();
                    for (String w : words) {
                        if (!w.equals("COPY") && !w.startsWith("--")) {
                            paths.add(w);
                        }
                    }
                    if (copySource != null || paths.size() != 2) {
                        throw new AssertionError("the Dockerfile should COPY one file, the job jar: " + line);
                    }
                    copySource = paths.get(0);
                    copyTarget = paths.get(1);
                }
                default -> { }
            }
        }
        return new Dockerfile(from, args, runs, copySource, copyTarget);
    }

    /** The COPY source with the ARGs' defaults put in. */
    String jarPathInBuild() {
        String path = copySource;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            path = path.replace("${" + arg.getKey() + "}", String.valueOf(arg.getValue()));
        }
        return path;
    }

    String jarPathInImage() {
        return copyTarget;
    }
}
