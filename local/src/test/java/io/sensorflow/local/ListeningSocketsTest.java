package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void readsTheKernelsAddressesAsTheyAre() {
        assertThat(ListeningSockets.socket("0100007F", 5432, 1)).satisfies(s -> {
            assertThat(s.address()).isEqualTo("127.0.0.1");
            assertThat(s.loopback()).isTrue();
        });
        assertThat(ListeningSockets.socket("00000000", 80, 1).loopback()).as("0.0.0.0").isFalse();
        assertThat(ListeningSockets.socket("0000000000000000FFFF00000100007F", 1883, 1)).satisfies(s -> {
            assertThat(s.address()).isEqualTo("[::ffff:127.0.0.1]");
            assertThat(s.loopback()).isTrue();
        });
        assertThat(ListeningSockets.socket("00000000000000000000000000000000", 1, 1).loopback()).as("[::]").isFalse();
        assertThat(ListeningSockets.socket("00000000000000000000000001000000", 1, 1).loopback()).as("[::1]").isTrue();
        assertThat(ListeningSockets.socket("0000000000000000FFFF00000A00000A", 1, 1).loopback()).as("10.0.0.10").isFalse();
    }

    @Test
    void findsASocketOfThisJvm() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "no /proc");
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket any = new ServerSocket(0)) {
            assertThat(ListeningSockets.ofThisJvm()).anySatisfy(s -> {
                assertThat(s.port()).isEqualTo(loopback.getLocalPort());
                assertThat(s.loopback()).isTrue();
            }).anySatisfy(s -> {
                assertThat(s.port()).isEqualTo(any.getLocalPort());
                assertThat(s.loopback()).isFalse();
            });
        }
    }
}
