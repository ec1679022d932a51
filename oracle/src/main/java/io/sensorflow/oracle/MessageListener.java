package io.sensorflow.oracle;

/**
 * Receives every message the simulation emits, in emission order. The payload array is reused by
 * the generator: copy {@code payload[0..length)} (and the facts) to keep them.
 */
@FunctionalInterface
public interface MessageListener {

    void onMessage(MessageFacts facts, byte[] key, byte[] payload, int length);

    /** Called once, after the last message. */
    default void onEnd() {}

    static MessageListener all(MessageListener... listeners) {
        return new MessageListener() {
            @Override
            public void onMessage(MessageFacts facts, byte[] key, byte[] payload, int length) {
                for (MessageListener l : listeners) {
                    l.onMessage(facts, key, payload, length);
                }
            }

            @Override
            public void onEnd() {
                for (MessageListener l : listeners) {
                    l.onEnd();
                }
            }
        };
    }
}
