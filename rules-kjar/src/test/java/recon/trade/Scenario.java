package recon.trade;

import io.recon.fact.FactSpec;
import io.recon.fact.MappedFact;
import io.recon.fact.TaskFacts;
import io.recon.rules.Mismatch;
import io.recon.session.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactType;

/**
 * A scenario test harness on the service's own session engine ({@link Simulation}, from {@code recon-engine}): records
 * arrive as field maps and are mapped onto the declared types as a source binding maps them, upserted by record id,
 * the event-time clock moves forward to each record's time as a watermark moves it, facts expire, and rules fire after
 * every record and every clock step exactly as in a running session. Tests read as "given these records, after this
 * much time, these mismatches are live".
 *
 * <p>Times are given in seconds after the scenario's start ({@link #START}), so a test says
 * "the payment arrives at 29 s" instead of spelling out epoch millis.
 */
final class Scenario implements AutoCloseable {

    /** Event time of second 0 of every scenario. Any fixed instant will do; this one is readable. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static final String PACKAGE = "recon.trade";

    private final KieBase kieBase;
    private final TaskFacts facts;
    private final Simulation session;
    /** The record ids the session was given, per type: insert() and update() say which they expect. */
    private final Set<String> inserted = new HashSet<>();
    /** How often each rule fired: the service reports this as a metric per rule. */
    private final Map<String, Long> firings = new HashMap<>();

    private Scenario(String taskGroup) {
        // The kjar's own kmodule.xml from the test classpath: the same KieBase the service loads.
        this(KieServices.get().getKieClasspathContainer().getKieBase(taskGroup));
    }

    private Scenario(KieBase kieBase) {
        this.kieBase = kieBase;
        this.facts = new TaskFacts(kieBase, bindings(kieBase));
        this.session = new Simulation(kieBase, facts);
        session.advanceTo(START.toEpochMilli());
    }

    /**
     * How the demo's sources bind each declared event type of the package: by convention the record id of Order is
     * orderId, of Payment paymentId, and so on; the correlation key is orderId where the type has one; the event time is
     * the field the declaration names in {@code @timestamp}.
     */
    private static List<FactSpec> bindings(KieBase kieBase) {
        List<FactSpec> specs = new ArrayList<>();
        for (FactType type : kieBase.getKiePackage(PACKAGE).getFactTypes()) {
            Object timestamp = type.getMetaData().get("timestamp");
            if (timestamp == null) {
                continue; // not an event: no source feeds it
            }
            String simple = type.getSimpleName();
            String id = Character.toLowerCase(simple.charAt(0)) + simple.substring(1) + "Id";
            String key = type.getField("orderId") != null ? "orderId" : id;
            specs.add(new FactSpec(type.getName(), key, id, timestamp.toString()));
        }
        return specs;
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
     * Inserts a new record of a declared type (e.g. "Order"). Like the service, the clock first moves forward to the
     * record's event time when that is ahead of it (the watermark of a source with no lateness); a record from the past
     * meets the clock where it is.
     */
    Scenario insert(String type, Map<String, ?> fields) {
        MappedFact fact = map(type, fields);
        if (!inserted.add(fact.type() + "/" + fact.id())) {
            throw new IllegalStateException(type + " " + fact.id() + " is already in the session: use update()");
        }
        return apply(fact);
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

    /** The same record id arrives again with new values (the order goes CREATED -> PAID): the session replaces the fact. */
    Scenario update(String type, Map<String, ?> fields) {
        MappedFact fact = map(type, fields);
        if (!inserted.contains(fact.type() + "/" + fact.id())) {
            throw new IllegalStateException(type + " " + fact.id() + " was never inserted: use insert()");
        }
        return apply(fact);
    }

    /** A record is deleted at its source; see {@link #delete(String, Map)}. */
    Scenario delete(Row row) {
        return delete(row.type(), row.fields());
    }

    /** The record with these fields' id is deleted at its source: the session retracts its fact, whose findings heal. */
    Scenario delete(String type, Map<String, ?> fields) {
        MappedFact fact = map(type, fields);
        if (!inserted.remove(fact.type() + "/" + fact.id())) {
            throw new IllegalStateException(type + " " + fact.id() + " was never inserted: nothing to delete");
        }
        session.delete(fact);
        countFirings();
        return this;
    }

    /** Lets event time pass up to {@code seconds} after the start, firing rules at every timer and expiry on the way. */
    Scenario advanceTo(double seconds) {
        session.advanceTo(at(seconds));
        countFirings();
        return this;
    }

    /** Lets {@code duration} of event time pass. */
    Scenario advance(Duration duration) {
        session.advanceTo(session.clock() + duration.toMillis());
        countFirings();
        return this;
    }

    /** The mismatches live in the session now, in a stable order (type, key). */
    List<Mismatch> mismatches() {
        return session.openMismatches().stream()
                .sorted(Comparator.comparing(Mismatch::getType).thenComparing(Mismatch::getKey))
                .toList();
    }

    /** The live mismatches of one type. */
    List<Mismatch> mismatches(String type) {
        return mismatches().stream().filter(m -> m.getType().equals(type)).toList();
    }

    /** How many times the rule named {@code rule} has fired so far. */
    int firings(String rule) {
        return firings.getOrDefault(rule, 0L).intValue();
    }

    /** Seconds after the start the clock shows now. */
    double now() {
        return (session.clock() - START.toEpochMilli()) / 1000.0;
    }

    /** How many facts of a declared type the session holds (expiry bounds this). */
    long count(String type) {
        factType(type);
        return session.liveFactsByType().getOrDefault(type, 0L);
    }

    /** A value of a declared fact's field, for asserting on a mismatch's evidence. */
    Object field(String type, Object fact, String field) {
        return factType(type).get(fact, field);
    }

    @Override
    public void close() {
        session.close();
    }

    private Scenario apply(MappedFact fact) {
        if (fact.eventTime() > session.clock()) {
            session.advanceTo(fact.eventTime());
        }
        session.upsert(fact);
        countFirings();
        return this;
    }

    private void countFirings() {
        session.drainFirings().forEach((rule, n) -> firings.merge(rule, n, Long::sum));
    }

    /** The record as a source binding maps it: every field checked against the declaration, values converted to its types. */
    private MappedFact map(String type, Map<String, ?> fields) {
        FactType factType = factType(type);
        fields.keySet().forEach(name -> {
            if (factType.getField(name) == null) {
                throw new IllegalArgumentException(type + " has no field '" + name + "'");
            }
        });
        return facts.mapper(factType.getName()).map(fields, 0);
    }

    private FactType factType(String type) {
        FactType factType = kieBase.getFactType(PACKAGE, type);
        if (factType == null) {
            throw new IllegalArgumentException(type + " is not declared in package " + PACKAGE);
        }
        return factType;
    }
}
