package io.recon.source.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a CDC source has delivered everything committed before it started: it writes a
 * transactional logical-decoding message ({@code pg_logical_emit_message}) into the source database's
 * WAL and waits for it to come back through the replication stream. WAL order makes it exact: every
 * change committed before the marker (what was committed while Recon was down) arrives before it.
 *
 * <p>The marker is written again every few seconds until it arrives, because on the very first start
 * the replication slot may not exist yet when the first one is written. If the database refuses the
 * function, the source counts as caught up after {@link #GIVE_UP_MS} and a warning says why.
 */
final class CatchUpMarker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatchUpMarker.class);
    static final String PREFIX = "recon-caught-up-";
    private static final long REPEAT_MS = 3_000;
    private static final long GIVE_UP_MS = 30_000;

    private final CdcSourceConfig config;
    private final Runnable onCaughtUp;
    private final String prefix = PREFIX + UUID.randomUUID();
    private final ScheduledExecutorService timer;
    private volatile boolean done;
    private volatile boolean warned;

    CatchUpMarker(CdcSourceConfig config, Runnable onCaughtUp) {
        this.config = config;
        this.onCaughtUp = onCaughtUp;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-" + config.name() + "-catch-up");
            t.setDaemon(true);
            return t;
        });
    }

    /** Called once the engine polls: from now on the slot exists or is about to. */
    void start() {
        long started = System.currentTimeMillis();
        timer.scheduleWithFixedDelay(() -> {
            if (done) {
                return;
            }
            if (!emit() && System.currentTimeMillis() - started > GIVE_UP_MS) {
                log.warn("CDC source {}: counting it as caught up without proof after {} s; until then its silence held the"
                        + " event-time clock", config.name(), GIVE_UP_MS / 1000);
                arrived();
            }
        }, 0, REPEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** @return whether a marker was written */
    private boolean emit() {
        String url = "jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database();
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password());
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement ps = c.prepareStatement("select pg_logical_emit_message(true, ?, '')")) {
            ps.setString(1, prefix);
            ps.execute();
            return true;
        } catch (SQLException e) {
            if (!warned) {
                warned = true;
                // the message names the function and the database, never the password
                log.warn("CDC source {}: cannot write its catch-up marker into database {} ({}); grant EXECUTE on"
                        + " pg_logical_emit_message to {} so that a restart knows when the backlog is read",
                        config.name(), config.database(), e.getMessage(), config.user());
            }
            return false;
        }
    }

    /** True for this run's marker coming back through the stream. */
    boolean isMarker(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null || value.schema().field("message") == null) {
            return false;
        }
        Struct message = value.getStruct("message");
        return "m".equals(value.getString("op")) && message != null && prefix.equals(message.getString("prefix"));
    }

    void arrived() {
        if (!done) {
            done = true;
            timer.shutdown();
            onCaughtUp.run();
        }
    }

    boolean caughtUp() {
        return done;
    }

    @Override
    public void close() {
        done = true;
        timer.shutdownNow();
    }
}
