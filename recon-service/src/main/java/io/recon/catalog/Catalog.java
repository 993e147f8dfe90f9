package io.recon.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ground floor every feature reads what Recon reconciles from: captured databases, source bindings and task
 * groups, kept in PostgreSQL and held here as an immutable snapshot. A write is checked by the features'
 * {@link CatalogCheck}s, stored with its change record in one transaction, and then announced as a
 * {@link CatalogChanged} event that the features apply; nothing reads application.yml after the first start
 * ({@link CatalogSeed}).
 */
@Component
public class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final CatalogStore store;
    private final SecretBox secrets;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<CatalogCheck> checks; // resolved at a write: the checks read the catalog themselves
    private volatile Snapshot snapshot;
    private static final int FOLLOW_LOOKBACK = 100;
    private long followedUpTo; // the highest change id seen by follow(), and below it the ones taken
    private long followedFrom; // the changes up to this one were in the store when this process read it: never followed
    private final Set<Long> followed = new java.util.HashSet<>();

    private record Snapshot(Map<String, CatalogSource> sources, Map<String, CatalogTask> tasks,
                            Map<String, CatalogStore.StoredDatabase> databases, Map<String, CatalogLookup> lookups) {
    }

    Catalog(CatalogStore store, SecretBox secrets, TransactionTemplate tx, ApplicationEventPublisher events, ObjectProvider<CatalogCheck> checks,
            List<CatalogSeed> seeds) {
        this.store = store;
        this.secrets = secrets;
        this.tx = tx;
        this.events = events;
        this.checks = checks;
        // application.yml first: where it names one of the demo's databases, its entry is the one taken
        tx.executeWithoutResult(status -> seeds.stream().sorted(java.util.Comparator.comparing(s -> !"yaml".equals(s.origin())))
                .forEach(this::seed));
        reload();
        followedUpTo = store.lastChangeId();
        followedFrom = followedUpTo;
    }

    /** application.yml entries not seen before are added; the ones taken once are left to the catalog. */
    private void seed(CatalogSeed seed) {
        Map<String, CatalogSource> sources = store.sources();
        Map<String, CatalogTask> tasks = store.tasks();
        Map<String, CatalogStore.StoredDatabase> databases = store.databases();
        for (CatalogSource s : seed.sources()) {
            if (store.markSeeded("source", s.name()) && !sources.containsKey(s.name())) {
                CatalogSource entry = s.named(s.name(), seed.origin());
                store.putSource(entry);
                store.record("yaml".equals(seed.origin()) ? "application.yml" : seed.origin(), "source", s.name(), "CREATE", null, entry);
            }
        }
        for (CatalogTask t : seed.tasks()) {
            if (store.markSeeded("task", t.task()) && !tasks.containsKey(t.task())) {
                CatalogTask entry = t.named(t.task(), seed.origin());
                store.putTask(entry);
                store.record("yaml".equals(seed.origin()) ? "application.yml" : seed.origin(), "task", t.task(), "CREATE", null, entry);
            }
        }
        Map<String, CatalogLookup> lookups = store.lookups();
        for (CatalogLookup l : seed.lookups()) {
            if (store.markSeeded("lookup", l.name()) && !lookups.containsKey(l.name())) {
                CatalogLookup entry = l.named(l.name(), seed.origin());
                store.putLookup(entry);
                store.record("yaml".equals(seed.origin()) ? "application.yml" : seed.origin(), "lookup", l.name(), "CREATE", null, entry);
            }
        }
        String origin = seed.origin();
        String by = "yaml".equals(origin) ? "application.yml" : origin;
        seed.databases().forEach((d, password) -> {
            String enc = password == null || password.isEmpty() ? null : secrets.encrypt(password, d.name());
            CatalogDatabase entry = d.named(d.name(), origin);
            CatalogStore.StoredDatabase stored = databases.get(d.name());
            if (store.markSeeded("database", d.name()) && stored == null) {
                store.putDatabase(entry, enc);
                store.record(by, "database", d.name(), "CREATE", null, entry);
            } else if (seed.databasesFollowSeed() && stored != null && origin.equals(stored.database().origin())
                    && !(d.host().equals(stored.database().host()) && d.port().equals(stored.database().port()))) {
                // only where it lives follows the seed; what was changed through the API otherwise stays
                CatalogDatabase was = stored.database();
                CatalogDatabase moved = new CatalogDatabase(was.name(), was.kind(), d.host(), d.port(), was.database(), was.username(),
                        was.passwordEnv(), was.origin());
                store.putDatabase(moved, stored.passwordEnc());
                store.record(by, "database", d.name(), "UPDATE", was, moved);
            }
        });
    }

    private void reload() {
        snapshot = new Snapshot(Map.copyOf(store.sources()), Map.copyOf(store.tasks()), Map.copyOf(store.databases()),
                Map.copyOf(store.lookups()));
    }

    public Map<String, CatalogSource> sources() {
        return new java.util.TreeMap<>(snapshot.sources());
    }

    public Optional<CatalogSource> source(String name) {
        return Optional.ofNullable(snapshot.sources().get(name));
    }

    public Map<String, CatalogLookup> lookups() {
        return new java.util.TreeMap<>(snapshot.lookups());
    }

    public Optional<CatalogLookup> lookup(String name) {
        return Optional.ofNullable(snapshot.lookups().get(name));
    }

    public synchronized CatalogLookup putLookup(String name, CatalogLookup body, String user) {
        CatalogLookup before = snapshot.lookups().get(name);
        CatalogLookup after = body.named(name, before == null ? "api" : before.origin());
        checks.orderedStream().forEach(c -> c.checkLookup(after));
        tx.executeWithoutResult(s -> {
            store.putLookup(after);
            store.record(user, "lookup", name, before == null ? "CREATE" : "UPDATE", before, after);
        });
        reload();
        announce(new CatalogChanged.LookupChanged(name, before, after));
        return after;
    }

    public synchronized void deleteLookup(String name, String user) {
        CatalogLookup before = snapshot.lookups().get(name);
        if (before == null) {
            throw new CatalogRefusal(404, "There is no lookup named " + name + "; GET /api/lookups lists them.", null);
        }
        tx.executeWithoutResult(s -> {
            store.delete("lookup", name);
            store.record(user, "lookup", name, "DELETE", before, null);
        });
        reload();
        announce(new CatalogChanged.LookupChanged(name, before, null));
    }

    public Map<String, CatalogTask> tasks() {
        return new java.util.TreeMap<>(snapshot.tasks());
    }

    /** The task's settings; a task group that sources feed but that has no entry runs with the defaults. */
    public CatalogTask task(String task) {
        CatalogTask found = snapshot.tasks().get(task);
        return found != null ? found : CatalogTask.defaults(task);
    }

    public Optional<CatalogTask> taskEntry(String task) {
        return Optional.ofNullable(snapshot.tasks().get(task));
    }

    public Map<String, CatalogDatabase> databases() {
        Map<String, CatalogDatabase> all = new java.util.TreeMap<>();
        snapshot.databases().forEach((n, d) -> all.put(n, d.database()));
        return all;
    }

    public Optional<CatalogDatabase> database(String name) {
        return Optional.ofNullable(snapshot.databases().get(name)).map(CatalogStore.StoredDatabase::database);
    }

    public boolean passwordSet(String name) {
        CatalogStore.StoredDatabase d = snapshot.databases().get(name);
        return d != null && (d.passwordEnc() != null || d.database().passwordEnv() != null);
    }

    /** How to connect to a catalog database, its password decrypted or read from its environment variable. */
    public Optional<DatabaseAccess> access(String name) {
        CatalogStore.StoredDatabase d = snapshot.databases().get(name);
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(access(d.database(), d.passwordEnc()));
    }

    private DatabaseAccess access(CatalogDatabase db, String passwordEnc) {
        String password = db.passwordEnv() != null ? System.getenv(db.passwordEnv())
                : passwordEnc == null ? null : secrets.decrypt(passwordEnc, db.name());
        return new DatabaseAccess(db.name(), db.host(), db.port(), db.database(), db.username(), password, db.kind());
    }

    List<CatalogStore.Change> changes(int limit) {
        return store.changes(limit);
    }

    public synchronized CatalogSource putSource(String name, CatalogSource body, String user, boolean snapshotRows) {
        CatalogSource before = snapshot.sources().get(name);
        CatalogSource after = body.named(name, before == null ? "api" : before.origin());
        checks.orderedStream().forEach(c -> c.checkSource(after));
        tx.executeWithoutResult(s -> {
            store.putSource(after);
            store.record(user, "source", name, before == null ? "CREATE" : "UPDATE", before, after, snapshotRows ? CatalogStore.SNAPSHOT : null);
        });
        reload();
        announce(new CatalogChanged.SourceChanged(name, before, after, snapshotRows));
        return after;
    }

    public synchronized void deleteSource(String name, String user) {
        CatalogSource before = snapshot.sources().get(name);
        if (before == null) {
            throw new CatalogRefusal(404, "There is no source named " + name + "; GET /api/sources lists them.", null);
        }
        tx.executeWithoutResult(s -> {
            store.delete("source", name);
            store.record(user, "source", name, "DELETE", before, null);
        });
        reload();
        announce(new CatalogChanged.SourceChanged(name, before, null, false));
    }

    public synchronized CatalogTask putTask(String name, CatalogTask body, String user) {
        CatalogTask before = snapshot.tasks().get(name);
        CatalogTask after = body.named(name, before == null ? "api" : before.origin());
        checks.orderedStream().forEach(c -> c.checkTask(before, after));
        tx.executeWithoutResult(s -> {
            store.putTask(after);
            store.record(user, "task", name, before == null ? "CREATE" : "UPDATE", before, after);
        });
        reload();
        announce(new CatalogChanged.TaskChanged(name, before, after));
        return after;
    }

    public synchronized void deleteTask(String name, String user) {
        CatalogTask before = snapshot.tasks().get(name);
        if (before == null) {
            throw new CatalogRefusal(404, "There is no task named " + name + "; GET /api/tasks lists them.", null);
        }
        List<String> feeding = snapshot.sources().values().stream().filter(s -> name.equals(s.task())).map(CatalogSource::name).sorted().toList();
        if (!feeding.isEmpty()) {
            throw new CatalogRefusal(409, "Task " + name + " is still fed by the sources " + feeding + "; delete them or bind them to"
                    + " another task first.", null);
        }
        tx.executeWithoutResult(s -> {
            store.delete("task", name);
            store.record(user, "task", name, "DELETE", before, null);
        });
        reload();
        announce(new CatalogChanged.TaskChanged(name, before, null));
    }

    /** @param password null keeps the stored one (a password is written once and never read back) */
    public synchronized CatalogDatabase putDatabase(String name, CatalogDatabase body, String password, String user) {
        CatalogStore.StoredDatabase stored = snapshot.databases().get(name);
        CatalogDatabase before = stored == null ? null : stored.database();
        CatalogDatabase after = body.named(name, before == null ? "api" : before.origin());
        if (after.host() == null || after.host().isBlank()) {
            throw CatalogRefusal.invalid("Database " + name + " needs a host (e.g. \"127.0.0.1\").", "host");
        }
        if (after.database() == null || after.database().isBlank()) {
            throw CatalogRefusal.invalid("Database " + name + " needs the name of the database to connect to in \"database\".", "database");
        }
        if (after.username() == null || after.username().isBlank()) {
            throw CatalogRefusal.invalid("Database " + name + " needs a username to connect as.", "username");
        }
        if (after.passwordEnv() != null && System.getenv(after.passwordEnv()) == null) {
            throw CatalogRefusal.invalid("Database " + name + ": the environment variable " + after.passwordEnv() + " named in passwordEnv"
                    + " is not set in Recon's environment; set it and restart, or send the password instead.", "passwordEnv");
        }
        String enc = after.passwordEnv() != null ? null
                : password != null ? secrets.encrypt(password, name) : stored == null ? null : stored.passwordEnc();
        DatabaseAccess access = access(after, enc);
        checks.orderedStream().forEach(c -> c.checkDatabase(after, access));
        tx.executeWithoutResult(s -> {
            store.putDatabase(after, enc);
            store.record(user, "database", name, before == null ? "CREATE" : "UPDATE", before, after);
        });
        reload();
        announce(new CatalogChanged.DatabaseChanged(name, before, after, false, stored == null ? null : access(stored.database(), stored.passwordEnc())));
        return after;
    }

    public synchronized void deleteDatabase(String name, String user, boolean dropSlot) {
        CatalogStore.StoredDatabase stored = snapshot.databases().get(name);
        if (stored == null) {
            throw new CatalogRefusal(404, "There is no database named " + name + "; GET /api/databases lists them.", null);
        }
        List<String> reading = snapshot.sources().values().stream().filter(s -> name.equals(s.database())).map(CatalogSource::name).sorted().toList();
        if (!reading.isEmpty()) {
            throw new CatalogRefusal(409, "Database " + name + " is still read by the sources " + reading + "; delete them first.", null);
        }
        List<String> asking = snapshot.lookups().values().stream().filter(l -> name.equals(l.database())).map(CatalogLookup::name).sorted().toList();
        if (!asking.isEmpty()) {
            throw new CatalogRefusal(409, "Database " + name + " is still asked by the lookups " + asking + "; delete them first.", null);
        }
        DatabaseAccess access = access(stored.database(), stored.passwordEnc());
        tx.executeWithoutResult(s -> {
            store.delete("database", name);
            store.record(user, "database", name, "DELETE", stored.database(), null, dropSlot ? CatalogStore.DROP_SLOT : null);
        });
        reload();
        announce(new CatalogChanged.DatabaseChanged(name, stored.database(), null, dropSlot, access));
    }

    /**
     * Applies what other instances sharing this catalog wrote since the last look, as if written here: the snapshot is
     * reloaded and each changed entry announced with what it was here before. A change committed out of id order (two
     * writers at once) is still taken: the look goes back {@link #FOLLOW_LOOKBACK} ids and skips the ones taken.
     * @return how many entries changed
     */
    synchronized int follow() {
        List<CatalogStore.Written> fresh = store.writtenSince(Math.max(followedFrom, followedUpTo - FOLLOW_LOOKBACK)).stream()
                .filter(row -> !followed.contains(row.id())).toList();
        Map<String, Set<String>> requests = new java.util.LinkedHashMap<>(); // kind/name -> what the writes asked
        for (CatalogStore.Written row : fresh) {
            if (!row.mine()) {
                Set<String> asked = requests.computeIfAbsent(row.kind() + "/" + row.name(), k -> new java.util.HashSet<>());
                if (row.request() != null) {
                    asked.add(row.request());
                }
            }
        }
        Snapshot was = snapshot;
        if (!requests.isEmpty()) {
            reload(); // before the rows are marked taken: a failed read leaves them to the next look
        }
        for (CatalogStore.Written row : fresh) {
            followed.add(row.id());
            followedUpTo = Math.max(followedUpTo, row.id());
        }
        followed.removeIf(id -> id <= followedUpTo - FOLLOW_LOOKBACK);
        int changed = 0;
        for (Map.Entry<String, Set<String>> entry : requests.entrySet()) {
            String kind = entry.getKey().substring(0, entry.getKey().indexOf('/'));
            String name = entry.getKey().substring(kind.length() + 1);
            CatalogChanged change = followed(kind, name, was, snapshot, entry.getValue());
            if (change == null) {
                continue;
            }
            try {
                announce(change);
                changed++;
            } catch (RuntimeException e) {
                // as a write's answer would say; the other entries are applied all the same
                log.warn("catalog: the change of {} {} another instance wrote could not be applied here: {}", kind, name, e.getMessage());
            }
        }
        return changed;
    }

    /** The change another instance made to one entry, as this one announces it; null where nothing changed here. */
    private CatalogChanged followed(String kind, String name, Snapshot was, Snapshot now, Set<String> asked) {
        return switch (kind) {
            case "source" -> {
                CatalogSource before = was.sources().get(name);
                CatalogSource after = now.sources().get(name);
                boolean snapshotRows = after != null && asked.contains(CatalogStore.SNAPSHOT);
                yield java.util.Objects.equals(before, after) && !snapshotRows ? null
                        : new CatalogChanged.SourceChanged(name, before, after, snapshotRows);
            }
            case "task" -> {
                CatalogTask before = was.tasks().get(name);
                CatalogTask after = now.tasks().get(name);
                yield java.util.Objects.equals(before, after) ? null : new CatalogChanged.TaskChanged(name, before, after);
            }
            case "lookup" -> {
                CatalogLookup before = was.lookups().get(name);
                CatalogLookup after = now.lookups().get(name);
                yield java.util.Objects.equals(before, after) ? null : new CatalogChanged.LookupChanged(name, before, after);
            }
            case "database" -> {
                CatalogStore.StoredDatabase before = was.databases().get(name);
                CatalogStore.StoredDatabase after = now.databases().get(name);
                boolean dropSlot = after == null && asked.contains(CatalogStore.DROP_SLOT);
                yield java.util.Objects.equals(before, after) && !dropSlot ? null
                        : new CatalogChanged.DatabaseChanged(name, before == null ? null : before.database(),
                        after == null ? null : after.database(), dropSlot, before == null ? null : access(before.database(), before.passwordEnc()));
            }
            default -> null;
        };
    }

    private void announce(CatalogChanged change) {
        log.info("catalog: {} {} changed; applying", change.getClass().getSimpleName().replace("Changed", "").toLowerCase(), change.name());
        events.publishEvent(change);
    }

    /** Sources that feed a task, by name. */
    public List<String> sourcesOf(String task) {
        return snapshot.sources().values().stream().filter(s -> task.equals(s.task())).map(CatalogSource::name).sorted().toList();
    }

}
