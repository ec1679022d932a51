package io.sensorflow.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets listening on this machine (Linux: /proc/net/tcp and tcp6), and which of them this JVM holds. */
final class ListeningSockets {

    /** A listening socket: its local address (as text) and port, and whether it is a loopback address. */
    record Socket(String address, int port, boolean loopback, long inode) {
        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    private ListeningSockets() {}

    static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Every listening TCP socket in this network namespace. */
    static List<Socket> all() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        read(Path.of("/proc/net/tcp"), sockets);
        read(Path.of("/proc/net/tcp6"), sockets);
        return sockets;
    }

    /** The listening sockets this JVM holds (its file descriptors that are sockets). */
    static List<Socket> ofThisJvm() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<Socket> mine = new ArrayList<>();
        for (Socket s : all()) {
            if (inodes.contains(s.inode())) {
                mine.add(s);
            }
        }
        return mine;
    }

    /** The listening sockets on {@code port}, whoever holds them. */
    static List<Socket> onPort(int port) throws IOException {
        List<Socket> on = new ArrayList<>();
        for (Socket s : all()) {
            if (s.port() == port) {
                on.add(s);
            }
        }
        return on;
    }

    private static void read(Path table, List<Socket> into) throws IOException {
        if (!Files.isReadable(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (!f[3].equals("0A")) { // TCP_LISTEN
                continue;
            }
            String[] local = f[1].split(":");
            into.add(socket(local[0], Integer.parseInt(local[1], 16), Long.parseLong(f[9])));
        }
    }

    /** The kernel writes addresses as 32-bit words in host (little-endian) order. */
    static Socket socket(String hex, int port, long inode) {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        boolean loopback;
        String text;
        if (b.length == 4) {
            loopback = (b[0] & 0xff) == 127;
            text = (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        } else {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean ipv6Loopback = true;
            for (int i = 0; i < 15; i++) {
                ipv6Loopback &= b[i] == 0;
            }
            ipv6Loopback &= b[15] == 1;
            if (mapped) {
                loopback = (b[12] & 0xff) == 127;
                text = "[::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff) + "]";
            } else {
                loopback = ipv6Loopback;
                StringBuilder t = new StringBuilder("[");
                for (int i = 0; i < 16; i += 2) {
                    t.append(i == 0 ? "" : ":").append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
                }
                text = t.append(']').toString();
            }
        }
        return new Socket(text, port, loopback, inode);
    }
}
