package io.sensorflow.simulator.bench;

import io.sensorflow.oracle.OutcomeOracle;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulation;
import io.sensorflow.simulator.SimulatorSettings;
import java.time.Instant;

/** How fast messages are generated with no sink (and with the oracle): {@code count format sensors [oracle]}. */
public final class GenerationSpeed {

    public static void main(String[] args) {
        long count = Long.parseLong(args[0]);
        PayloadFormat format = PayloadFormat.fromCliName(args[1]);
        int sensors = Integer.parseInt(args[2]);
        boolean oracle = args.length > 3 && args[3].equals("oracle");
        for (int round = 0; round < 3; round++) {
            SimulatorSettings s = SimulatorSettings.builder().count(count).sensors(sensors).format(format)
                    .start(Instant.parse("2026-11-01T00:00:00Z")).build();
            Simulation sim = new Simulation(s);
            long[] bytes = new long[1];
            OutcomeOracle o = new OutcomeOracle(s.oracle(), sim.sensorIds());
            long t0 = System.nanoTime();
            if (oracle) {
                sim.run(o);
            } else {
                sim.run((facts, key, payload, length) -> bytes[0] += length);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf("round %d: %d messages in %.2f s = %.0f/s (%d bytes)%n", round, sim.messages(), secs,
                    sim.messages() / secs, bytes[0]);
        }
    }
}
