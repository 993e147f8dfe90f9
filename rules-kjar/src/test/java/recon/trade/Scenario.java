package recon.trade;

import io.recon.rules.Mismatch;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactType;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * A scenario test harness that drives a session of one task group the way the service does:
 * records arrive as field maps, the event-time clock only moves forward, and rules fire after
 * every record and every clock step. Tests read as "given these records, after this much time,
 * these mismatches are live".
 *
 * <p>Times are given in seconds after the scenario's start ({@link #START}), so a test says
 * "the payment arrives at 29 s" instead of spelling out epoch millis.
 */
final class Scenario implements AutoCloseable {

    /** Event time of second 0 of every scenario. Any fixed instant will do; this one is readable. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** How far the clock moves between two firings when a test lets time pass (the watermark tick). */
    private static final Duration TICK = Duration.ofSeconds(1);

    private static final String PACKAGE = "recon.trade";

    private final KieBase kieBase;
    private final KieSession session;
    private final SessionPseudoClock clock;
    /** The service upserts by record id: one fact handle per (type, id). */
    private final Map<String, FactHandle> handles = new HashMap<>();
    /** How often each rule fired: the service reports this as a metric per rule. */
    private final Map<String, Integer> firings = new HashMap<>();

    private Scenario(String taskGroup) {
        // The kjar's own kmodule.xml from the test classpath: the same KieBase the service loads.
        this(KieServices.get().getKieClasspathContainer().getKieBase(taskGroup));
    }

    private Scenario(KieBase kieBase) {
        KieServices ks = KieServices.get();
        this.kieBase = kieBase;
        KieSessionConfiguration conf = ks.newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        this.session = kieBase.newKieSession(conf, null);
        this.clock = session.getSessionClock();
        clock.advanceTime(START.toEpochMilli(), TimeUnit.MILLISECONDS);
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                firings.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
            }
        });
    }

    /** One source record: the declared type it maps onto and its field values. */
    record Row(String type, Map<String, ?> fields) {
    }

    /** A fresh session of the {@code trade} task group, its clock at second 0. */
    static Scenario trade() {
        return new Scenario("trade");
    }

    /**
     * A fresh session of a KieBase a test built itself (a sample table or README example compiled
     * against the trade types), driven exactly like the kjar's own.
     */
    static Scenario of(KieBase kieBase) {
        return new Scenario(kieBase);
    }

    /** Epoch millis of {@code seconds} after the scenario's start, for timestamp fields. */
    static long at(double seconds) {
        return START.toEpochMilli() + Math.round(seconds * 1000);
    }

    /**
     * Inserts a new record of a declared type (e.g. "Order"). Like the service, the clock first
     * moves forward to the record's event time when that is ahead of it; a record from the past is
     * inserted at the current clock time.
     */
    Scenario insert(String type, Map<String, ?> fields) {
        Object fact = newFact(type, fields);
        moveClockTo(timestampOf(type, fact));
        String id = idOf(type, fact);
        if (handles.containsKey(type + "/" + id)) {
            throw new IllegalStateException(type + " " + id + " is already in the session: use update()");
        }
        handles.put(type + "/" + id, session.insert(fact));
        session.fireAllRules();
        return this;
    }

    /** Inserts new records, in the order given. */
    Scenario insert(Row... rows) {
        for (Row row : rows) {
            insert(row.type(), row.fields());
        }
        return this;
    }

    /** A record arrives again with new values; see {@link #update(String, Map)}. */
    Scenario update(Row row) {
        return update(row.type(), row.fields());
    }

    /**
     * The same record id arrives again with new values (the order goes CREATED -> PAID): the
     * service replaces the fact in place with {@code session.update(handle, newObject)}.
     */
    Scenario update(String type, Map<String, ?> fields) {
        Object fact = newFact(type, fields);
        moveClockTo(timestampOf(type, fact));
        String id = idOf(type, fact);
        FactHandle handle = handles.get(type + "/" + id);
        if (handle == null) {
            throw new IllegalStateException(type + " " + id + " was never inserted: use insert()");
        }
        session.update(handle, fact);
        session.fireAllRules();
        return this;
    }

    /** Lets event time pass up to {@code seconds} after the start, firing rules every tick. */
    Scenario advanceTo(double seconds) {
        moveClockTo(at(seconds));
        return this;
    }

    /** Lets {@code duration} of event time pass, firing rules every tick. */
    Scenario advance(Duration duration) {
        moveClockTo(clock.getCurrentTime() + duration.toMillis());
        return this;
    }

    /** The mismatches live in the session now, in a stable order (type, key). */
    List<Mismatch> mismatches() {
        return session.getObjects(o -> o instanceof Mismatch).stream()
                .map(Mismatch.class::cast)
                .sorted(Comparator.comparing(Mismatch::getType).thenComparing(Mismatch::getKey))
                .toList();
    }

    /** The live mismatches of one type. */
    List<Mismatch> mismatches(String type) {
        return mismatches().stream().filter(m -> m.getType().equals(type)).toList();
    }

    /** How many times the rule named {@code rule} has fired so far. */
    int firings(String rule) {
        return firings.getOrDefault(rule, 0);
    }

    /** Seconds after the start the clock shows now. */
    double now() {
        return (clock.getCurrentTime() - START.toEpochMilli()) / 1000.0;
    }

    /** How many facts of a declared type the session holds (expiry bounds this). */
    long count(String type) {
        Class<?> cls = factType(type).getFactClass();
        return session.getObjects(cls::isInstance).size();
    }

    /** A value of a declared fact's field, for asserting on a mismatch's evidence. */
    Object field(String type, Object fact, String field) {
        return factType(type).get(fact, field);
    }

    @Override
    public void close() {
        session.dispose();
    }

    private void moveClockTo(long target) {
        // Step by ticks so that every due timer and expiry runs, and rules fire, in time order.
        while (clock.getCurrentTime() < target) {
            long step = Math.min(TICK.toMillis(), target - clock.getCurrentTime());
            clock.advanceTime(step, TimeUnit.MILLISECONDS);
            session.fireAllRules();
        }
    }

    private Object newFact(String type, Map<String, ?> fields) {
        FactType factType = factType(type);
        try {
            Object fact = factType.newInstance();
            fields.forEach((name, value) -> {
                if (factType.getField(name) == null) {
                    throw new IllegalArgumentException(type + " has no field '" + name + "'");
                }
                factType.set(fact, name, value);
            });
            return fact;
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot create a " + type, e);
        }
    }

    private FactType factType(String type) {
        FactType factType = kieBase.getFactType(PACKAGE, type);
        if (factType == null) {
            throw new IllegalArgumentException(type + " is not declared in package " + PACKAGE);
        }
        return factType;
    }

    /** The field named in the type's @timestamp, read from the declaration itself. */
    private long timestampOf(String type, Object fact) {
        FactType factType = factType(type);
        Object timestampField = factType.getMetaData().get("timestamp");
        if (timestampField == null) {
            throw new IllegalStateException(type + " declares no @timestamp: it is not an event");
        }
        return (Long) factType.get(fact, timestampField.toString());
    }

    /** By convention the record id of type Order is orderId, of Payment paymentId, and so on. */
    private String idOf(String type, Object fact) {
        String idField = Character.toLowerCase(type.charAt(0)) + type.substring(1) + "Id";
        Object id = factType(type).get(fact, idField);
        if (id == null) {
            throw new IllegalArgumentException(type + " record without " + idField);
        }
        return id.toString();
    }
}
