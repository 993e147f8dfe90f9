package io.recon.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the servers the tests start themselves (PostgreSQL, MariaDB, brokers, Connect, service JVMs). */
public final class Ports {

    private Ports() {
    }

    /** A port free on 127.0.0.1 at the moment of asking: the only interface these tests listen on. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
