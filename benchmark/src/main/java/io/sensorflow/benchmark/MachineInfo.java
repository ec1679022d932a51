package io.sensorflow.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, printed with them. */
final class MachineInfo {

    private MachineInfo() {}

    static String describe() {
        Runtime rt = Runtime.getRuntime();
        return String.format("%s; %d cores; %s RAM; %s %s; JVM %s %s, max heap %d MiB",
                cpuModel(), rt.availableProcessors(), memTotal(),
                System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                rt.maxMemory() >> 20);
    }

    static String uptimeAndLoad() {
        return "load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memTotal() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> (Long.parseLong(v.replace("kB", "").trim()) >> 20) + " GiB")
                .orElse("?");
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return java.util.Optional.of(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }
}
