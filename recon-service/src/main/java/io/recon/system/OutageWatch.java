package io.recon.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.BooleanSupplier;

/**
 * Notices that a dependency which was away is back, so that what failed on it restarts at once instead of waiting
 * out a back-off that grew while the dependency was down (after a minute-long outage the next attempt could be
 * a minute away). Created when something fails; it asks at most twice a second whether the dependency answers
 * (a database: a sign-in on a connection of its own, since PostgreSQL accepts TCP connections before it lets
 * anyone in; a broker: a TCP connect). A failure for another reason (a bad rule, a bug) never
 * sees the dependency away, so it keeps its back-off.
 */
public final class OutageWatch {

    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long ASK_EVERY_MS = 500;

    private final BooleanSupplier answers;
    private boolean sawItAway;
    private long askedAt;

    public OutageWatch(BooleanSupplier answers) {
        this.answers = answers;
    }

    /** True once the dependency was seen away after the failure and answers again. */
    public boolean backAfterOutage() {
        long now = System.currentTimeMillis();
        if (now - askedAt < ASK_EVERY_MS) {
            return false;
        }
        askedAt = now;
        boolean up = answers.getAsBoolean();
        sawItAway |= !up;
        return sawItAway && up;
    }

    /** Whether something accepts TCP connections at {@code host:port}. */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** For a Kafka bootstrap list: whether its first server accepts connections. */
    public static boolean brokerAnswers(String bootstrap) {
        String first = bootstrap.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        return colon < 0 || answers(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }
}
