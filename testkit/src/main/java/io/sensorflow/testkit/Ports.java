package io.sensorflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback TCP port helpers shared by the local servers and their tests. */
public final class Ports {

    private Ports() {
    }

    /**
     * A port that was free a moment ago. Another process may take it before the caller binds it:
     * callers that start servers on it retry with a new port when binding fails.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }

    /** Whether a server could bind {@code port} on the loopback address right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // The same option servers set, so that connections in TIME_WAIT do not count as "in use".
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireFree(int port, String what) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be in 1..65535, got " + port);
        }
        if (!isFree(port)) {
            throw new IllegalStateException(what + " port " + port + " on 127.0.0.1 is already in use;"
                    + " stop the process listening there (e.g. another local stack) or choose another port");
        }
    }
}
