package io.recon.cluster;

import io.recon.system.ReconDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Decides which instance runs the {@link ClusterSingleton}s: the one holding a PostgreSQL advisory lock on a
 * connection of its own. The lock goes with the connection, so the singletons move when their instance dies
 * (SIGKILL closes the socket: the lock is free at once) and also when it hangs: the connection runs with
 * {@code idle_session_timeout}, renewed by a query every third of it, so PostgreSQL ends the session of an
 * instance that stopped answering (SIGSTOP, a long GC pause) and another instance takes the lock. An instance
 * whose renewal fails stops its singletons before it tries to lead again.
 *
 * <p>Why a lock in Recon's database and not a library: the singletons already depend on that database (captures
 * keep their offsets there), a replication slot is itself held by one connection, and the lock needs no table,
 * no clock agreement between machines and no extra service. With one instance nothing of this runs.
 */
@Component
public class Singletons implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Singletons.class);
    /** The advisory lock's key: any constant the instances agree on. */
    private static final long LOCK_KEY = 0x5245434F4EL; // "RECON"

    private final ClusterProperties cluster;
    private final ReconDatabase database;
    private final InstanceId instance;
    private final ObjectProvider<ClusterSingleton> singletons;
    private volatile boolean running;
    private volatile boolean leading;
    private Thread thread;
    private Connection lock;
    /**
     * Starts and stops the singletons, in order, off the lock's thread: starting the captures takes seconds, and the
     * lock's connection must be renewed meanwhile or PostgreSQL ends it as idle (and another instance leads too).
     */
    private final java.util.concurrent.ExecutorService changes = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recon-singletons-start");
        t.setDaemon(true);
        return t;
    });

    Singletons(ClusterProperties cluster, ReconDatabase database, InstanceId instance, ObjectProvider<ClusterSingleton> singletons) {
        this.cluster = cluster;
        this.database = database;
        this.instance = instance;
        this.singletons = singletons;
    }

    /** Whether this instance runs the singletons now (always, with one instance). */
    public boolean leading() {
        return !cluster.enabled() || leading;
    }

    @Override
    public synchronized void start() {
        running = true;
        if (!cluster.enabled()) {
            return;
        }
        thread = new Thread(this::loop, "recon-singletons");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long renewEvery = Math.max(200, cluster.sessionTimeout().toMillis() / 3);
        while (running) {
            try {
                if (!leading) {
                    tryToLead();
                } else {
                    renew();
                }
            } catch (SQLException | RuntimeException e) {
                if (leading) {
                    log.warn("instance {} lost the singletons' lock ({}): stopping the captures, topic sources, lookups and demo here",
                            instance, e.getMessage());
                }
                follow();
            }
            try {
                Thread.sleep(leading ? renewEvery : 1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void tryToLead() throws SQLException {
        if (lock == null || lock.isClosed()) {
            Properties props = new Properties();
            props.setProperty("user", database.username());
            props.setProperty("password", database.password() == null ? "" : database.password());
            props.setProperty("connectTimeout", "2");
            props.setProperty("socketTimeout", Long.toString(Math.max(2, cluster.sessionTimeout().toSeconds())));
            props.setProperty("ApplicationName", "recon-singletons " + instance);
            lock = DriverManager.getConnection(database.jdbcUrl(), props);
            try (Statement st = lock.createStatement()) {
                st.execute("set idle_session_timeout = " + cluster.sessionTimeout().toMillis());
            }
        }
        boolean got;
        try (Statement st = lock.createStatement(); var rs = st.executeQuery("select pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            got = rs.next() && rs.getBoolean(1);
        }
        if (got) {
            leading = true;
            log.info("instance {} runs the singletons now: captures, topic sources, lookups, watermarks, demo traffic", instance);
            changes.execute(() -> {
                for (ClusterSingleton s : inPhaseOrder()) {
                    try {
                        s.start();
                    } catch (RuntimeException e) {
                        log.warn("singleton {} did not start: {}", s.getClass().getSimpleName(), e.toString());
                    }
                }
            });
        }
    }

    /** As the lifecycle would start them: lookups (140, 150) before the sources (200) whose facts trigger them. */
    private List<ClusterSingleton> inPhaseOrder() {
        return singletons.orderedStream()
                .sorted(java.util.Comparator.comparingInt(s -> s instanceof org.springframework.context.Phased p ? p.getPhase() : 0))
                .toList();
    }

    private void renew() throws SQLException {
        try (Statement st = lock.createStatement()) {
            st.execute("select 1");
        }
    }

    private synchronized void follow() {
        boolean was = leading;
        leading = false;
        if (was) {
            changes.execute(() -> {
                List<ClusterSingleton> all = inPhaseOrder();
                for (int i = all.size() - 1; i >= 0; i--) {
                    try {
                        all.get(i).stop();
                    } catch (RuntimeException e) {
                        log.warn("singleton {} did not stop cleanly: {}", all.get(i).getClass().getSimpleName(), e.toString());
                    }
                }
            });
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (SQLException e) {
                // gone already
            }
            lock = null;
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        changes.shutdownNow();
        // the singletons' own lifecycle stops them on shutdown; the lock goes with its connection
        leading = false;
        if (lock != null) {
            try {
                lock.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sources and the demo (200, 300): the singletons start once everything else runs. */
    @Override
    public int getPhase() {
        return 400;
    }
}
