package io.sensorflow.simulator.bench;

import io.sensorflow.testkit.LocalKafka;

/**
 * A LocalKafka broker in its own process, for measuring the command-line jar against it:
 * {@code port [seconds]}; prints {@code READY host:port} and runs until stopped (or for the given seconds).
 */
public final class LocalKafkaServer {

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE / 1000;
        try (LocalKafka kafka = LocalKafka.start(port)) {
            System.out.println("READY " + kafka.bootstrapServers());
            System.out.flush();
            Thread.sleep(seconds * 1000);
        }
    }
}
