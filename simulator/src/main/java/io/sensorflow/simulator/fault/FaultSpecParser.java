package io.sensorflow.simulator.fault;

import io.sensorflow.simulator.SettingsException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds faults from named text fields, the same for options ({@code --spike metric=temperature,value=80,count=3})
 * and scenario files. Fields of each kind:
 * <ul>
 *   <li>silence: sensor (id, number or all; random when absent), at (offset such as 10m, or an instant;
 *       random when absent), for (required), count (default 1)
 *   <li>batched: sensor (id, number or all; random when absent), at (random when absent), for
 *       (required), count (default 1)
 *   <li>clock-skew: sensor (random when absent), offset (required, e.g. -30s), count (default 1)
 *   <li>spike: metric, value, readings (default 5), count | probability
 *   <li>rise: metric, step, readings (default 10), count | probability
 *   <li>stuck: metric, readings (default 20), count | probability
 *   <li>out-of-order: max-delay (default 2s), count | probability
 *   <li>late: hold (default: surely too late), count | probability
 *   <li>duplicate: max-delay (default 1s), count | probability
 *   <li>malformed: reason (a reason code or any, default any), count | probability
 *   <li>echo: count | probability
 *   <li>burst: readings (default 10), count | probability
 *   <li>hostile: shape (a shape or any, default any), size (bytes, default 600000), count | probability
 * </ul>
 */
public final class FaultSpecParser {

    private static final List<String> OCCURRENCE = List.of("count", "probability");

    /** The fields each kind has. */
    static final Map<FaultKind, List<String>> FIELDS = new EnumMap<>(Map.ofEntries(
            Map.entry(FaultKind.SILENCE, List.of("sensor", "at", "for", "count")),
            Map.entry(FaultKind.BATCHED, List.of("sensor", "at", "for", "count")),
            Map.entry(FaultKind.CLOCK_SKEW, List.of("sensor", "offset", "count")),
            Map.entry(FaultKind.SPIKE, with("metric", "value", "readings")),
            Map.entry(FaultKind.RISE, with("metric", "step", "readings")),
            Map.entry(FaultKind.STUCK, with("metric", "readings")),
            Map.entry(FaultKind.OUT_OF_ORDER, with("max-delay")),
            Map.entry(FaultKind.LATE, with("hold")),
            Map.entry(FaultKind.DUPLICATE, with("max-delay")),
            Map.entry(FaultKind.MALFORMED, with("reason")),
            Map.entry(FaultKind.ECHO, with()),
            Map.entry(FaultKind.BURST, with("readings")),
            Map.entry(FaultKind.HOSTILE, with("shape", "size"))));

    private FaultSpecParser() {}

    private static List<String> with(String... names) {
        List<String> all = new ArrayList<>(List.of(names));
        all.addAll(OCCURRENCE);
        return List.copyOf(all);
    }

    /** Parses an option value {@code k=v,k=v} for the fault kind of option {@code --kind}. */
    public static FaultSpec parseOption(FaultKind kind, String value) {
        String origin = "--" + kind.id();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException(origin, "'" + part.trim() + "' is not name=value (e.g. "
                        + example(kind) + ")");
            }
            String name = part.substring(0, eq).trim();
            if (fields.put(name, part.substring(eq + 1)) != null) {
                throw FaultSpec.error(origin, name, "given twice");
            }
        }
        return parse(kind, fields, origin);
    }

    /** Builds a fault of {@code kind} from its fields; errors name {@code origin} and the field. */
    public static FaultSpec parse(FaultKind kind, Map<String, String> values, String origin) {
        FaultFields f = new FaultFields(values, origin, kind, FIELDS.get(kind));
        FaultSpec spec;
        switch (kind) {
            case SILENCE:
                spec = new SilenceFault(f.sensor(), f.time("at"), f.requiredDuration("for", "5m"),
                        f.integer("count", 1), origin);
                break;
            case BATCHED:
                spec = new BatchedFault(f.sensor(), f.time("at"), f.requiredDuration("for", "30s"),
                        f.integer("count", 1), origin);
                break;
            case CLOCK_SKEW:
                spec = new ClockSkewFault(f.sensor(), f.requiredDuration("offset", "-30s"), f.integer("count", 1), origin);
                break;
            case SPIKE:
                spec = new SpikeFault(f.metric(), f.tenths("value", "80"), f.integer("readings", 5), f.occurrence(), origin);
                break;
            case RISE:
                spec = new RiseFault(f.metric(), f.tenths("step", "2.5"), f.integer("readings", 10), f.occurrence(), origin);
                break;
            case STUCK:
                spec = new StuckFault(f.metric(), f.integer("readings", 20), f.occurrence(), origin);
                break;
            case OUT_OF_ORDER:
                spec = new OutOfOrderFault(f.duration("max-delay", OutOfOrderFault.DEFAULT_MAX_DELAY), f.occurrence(), origin);
                break;
            case LATE:
                spec = new LateFault(f.duration("hold", null), f.occurrence(), origin);
                break;
            case DUPLICATE:
                spec = new DuplicateFault(f.duration("max-delay", DuplicateFault.DEFAULT_MAX_DELAY), f.occurrence(), origin);
                break;
            case MALFORMED:
                spec = new MalformedFault(f.reason(), f.occurrence(), origin);
                break;
            case ECHO:
                spec = new EchoFault(f.occurrence(), origin);
                break;
            case BURST:
                spec = new BurstFault(f.integer("readings", BurstFault.DEFAULT_READINGS), f.occurrence(), origin);
                break;
            case HOSTILE:
                spec = new HostileFault(f.shape(), f.integer("size", HostileFault.DEFAULT_SIZE), f.occurrence(), origin);
                break;
            default:
                throw new IllegalStateException(kind.id());
        }
        return spec;
    }

    /** An example option value for each kind, for help texts and errors. */
    public static String example(FaultKind kind) {
        switch (kind) {
            case SILENCE: return "sensor=sensor-00003,at=10m,for=5m";
            case BATCHED: return "sensor=sensor-00003,at=10m,for=30s";
            case CLOCK_SKEW: return "sensor=sensor-00007,offset=-30s";
            case SPIKE: return "metric=temperature,value=80,readings=5,count=3";
            case RISE: return "metric=temperature,step=2.5,readings=10,probability=0.0001";
            case STUCK: return "metric=humidity,readings=20,count=2";
            case OUT_OF_ORDER: return "max-delay=2s,probability=0.01";
            case LATE: return "count=5";
            case DUPLICATE: return "max-delay=1s,count=10";
            case MALFORMED: return "reason=NOT_JSON,count=3";
            case BURST: return "readings=100,count=3";
            case HOSTILE: return "shape=deep-nesting,size=600000,count=1";
            default: return "probability=0.001";
        }
    }
}
