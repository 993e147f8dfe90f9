package io.recon.source;

import io.recon.catalog.Catalog;
import io.recon.catalog.CatalogCheck;
import io.recon.catalog.CatalogDatabase;
import io.recon.catalog.CatalogRefusal;
import io.recon.catalog.CatalogSource;
import io.recon.catalog.CatalogTask;
import io.recon.catalog.DatabaseAccess;
import io.recon.fact.FactMapper;
import io.recon.fact.FactSpec;
import io.recon.fact.TaskFacts;
import io.recon.catalog.RuleSet;
import io.recon.source.cdc.CapturedTables;
import io.recon.source.cdc.CdcSourceConfig;
import io.recon.system.KafkaEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.kie.api.KieBase;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * What a source binding, a task or a database must be before the catalog takes it, each refusal a sentence that
 * says what to fix: the topic exists; the table exists, is readable and lets deletes carry their fields; the fact
 * type is declared by the active rules with the fields the binding fills; key and event time have usable types.
 */
@Component
class SourceChecks implements CatalogCheck {

    private static final Set<Class<?>> KEY_TYPES = Set.of(String.class, long.class, Long.class, int.class, Integer.class);
    private static final Set<Class<?>> TIME_TYPES = Set.of(long.class, Long.class, Instant.class);

    private final RuleSet rules;
    private final SourceCatalog bound;
    private final Catalog catalog;
    private final CdcSources cdc;
    private final KafkaEndpoint kafka;

    SourceChecks(RuleSet rules, SourceCatalog bound, Catalog catalog, @org.springframework.context.annotation.Lazy CdcSources cdc,
                 KafkaEndpoint kafka) {
        this.rules = rules;
        this.bound = bound;
        this.catalog = catalog;
        this.cdc = cdc;
        this.kafka = kafka;
    }

    @Override
    public void checkSource(CatalogSource s) {
        String what = "Source " + s.name();
        require(s.kind() != null, what + " needs a kind: TABLE, TOPIC, CONNECT or HTTP.", "kind");
        require(notBlank(s.task()), what + " needs the task group its facts go to (e.g. \"trade\").", "task");
        require(notBlank(s.type()), what + " needs the declared fact type it fills, with its package (e.g. \"recon.trade.Order\").", "type");
        require(notBlank(s.key()), what + " needs the fact field holding the correlation key (e.g. \"orderId\").", "key");
        KieBase kieBase;
        try {
            kieBase = rules.kieBase(s.task());
        } catch (IllegalStateException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + "; bind it to one of those, or activate rules that define "
                    + s.task() + ".", "task");
        }
        FactSpec spec = new FactSpec(s.type(), s.key(), s.id(), s.eventTime());
        FactMapper mapper;
        try {
            mapper = new TaskFacts(kieBase, List.of(spec)).mapper(s.type());
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains("correlation key") ? "key" : e.getMessage().contains("the id field") ? "id"
                    : e.getMessage().contains("event time") ? "eventTime" : "type";
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + " (rules " + rules.version() + ").", field);
        }
        FactType type = kieBase.getFactType(s.type().substring(0, s.type().lastIndexOf('.')), s.type().substring(s.type().lastIndexOf('.') + 1));
        Class<?> keyType = type.getField(s.key()).getType();
        require(KEY_TYPES.contains(keyType), what + ": the correlation key " + s.key() + " of " + s.type() + " is a " + keyType.getSimpleName()
                + "; a key must be a String, int or long field.", "key");
        if (s.eventTime() != null) {
            Class<?> timeType = type.getField(s.eventTime()).getType();
            require(TIME_TYPES.contains(timeType), what + ": the event time " + s.eventTime() + " of " + s.type() + " is a "
                    + timeType.getSimpleName() + "; it must be a long (epoch milliseconds) or an Instant.", "eventTime");
        }
        List<String> declared = type.getFields().stream().map(FactField::getName).toList();
        for (String field : s.fields().keySet()) {
            require(declared.contains(field), what + ": fields names " + field + ", which " + s.type() + " does not declare; declared"
                    + " fields: " + declared + ".", "fields");
        }
        for (Map.Entry<String, String> d : s.derived().entrySet()) {
            require(declared.contains(d.getKey()), what + ": derived names " + d.getKey() + ", which " + s.type() + " does not declare;"
                    + " declared fields: " + declared + ".", "derived");
            expression(what, d.getValue(), "derived." + d.getKey(), "derived");
        }
        if (s.filter() != null) {
            expression(what, s.filter(), "filter", "filter");
        }
        sameIdentity(s, spec, mapper);
        switch (s.kind()) {
            case TOPIC, CONNECT -> checkTopic(s, what);
            case TABLE -> checkTable(s, what, mapper);
            case HTTP -> {
            }
        }
    }

    private static void expression(String what, String text, String where, String field) {
        try {
            BindingShape.parse(text, where);
        } catch (IllegalArgumentException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + ".", field);
        }
    }

    /** The running sessions identify the facts of a type one way: another binding of a type already fed must say the same key, id and event time. */
    private void sameIdentity(CatalogSource s, FactSpec spec, FactMapper mapper) {
        // a task group new to the sessions starts when this binding is stored (SessionManager), and a type new to a
        // running task group is taken by its sessions before its first fact (PartitionWorker.takeNewTypes)
        List<FactSpec> running = bound.factSpecs(s.task()).stream().filter(f -> f.type().equals(s.type())).toList();
        for (FactSpec other : running) {
            boolean same = other.keyField().equals(spec.keyField()) && other.idOrKey().equals(spec.idOrKey())
                    && java.util.Objects.equals(other.eventTimeField(), spec.eventTimeField());
            require(same, "Source " + s.name() + ": task " + s.task() + " identifies " + s.type() + " by key " + other.keyField() + ", id "
                    + other.idOrKey() + " and event time " + other.eventTimeField() + "; bind it with the same key, id and eventTime"
                    + " (map differently named columns with fields).", "key");
        }
    }

    private void checkTopic(CatalogSource s, String what) {
        require(notBlank(s.topic()), what + " is a " + s.kind() + " source and needs the Kafka topic it reads (\"topic\"" + (s.kind()
                == CatalogSource.Kind.CONNECT ? ", Debezium's <topic.prefix>.<schema>.<table>, e.g. shop.public.orders" : "") + ").", "topic");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        Set<String> topics;
        try (Admin admin = Admin.create(props)) {
            topics = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CatalogRefusal(503, what + ": Kafka did not answer whether topic " + s.topic() + " exists (" + e.getClass().getSimpleName()
                    + "); try again in a moment.", "topic");
        }
        require(topics.contains(s.topic()), what + ": topic " + s.topic() + " does not exist on Kafka at " + kafka.bootstrap()
                + (s.kind() == CatalogSource.Kind.CONNECT ? "; register the connector on Kafka Connect first (Debezium creates the topic"
                + " with the table's first change or snapshot), or correct the name, then register the source."
                : "; create it first (or correct the name), then register the source."), "topic");
    }

    private void checkTable(CatalogSource s, String what, FactMapper mapper) {
        require(notBlank(s.database()), what + " is a TABLE source and needs the database it reads (\"database\").", "database");
        require(notBlank(s.table()) && s.table().matches("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+"), what + " needs its table written"
                + " schema.table (e.g. \"public.orders\").", "table");
        CdcSourceConfig config;
        try {
            config = cdc.config(s.database(), List.of(s.table()));
        } catch (IllegalStateException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + ".", "database");
        }
        io.recon.source.cdc.DatabaseTables tables = io.recon.source.cdc.DatabaseTables.of(config);
        CapturedTables.Inspection inspection = tables.inspect();
        require(inspection.unreachable() == null, what + ": " + inspection.unreachable() + "; check the database entry and that it runs.",
                "database");
        require(inspection.problems().isEmpty(), what + ": " + String.join("; ", inspection.problems()) + ".", "table");
        String unreadable = tables.unreadable(s.table());
        require(unreadable == null, what + ": user " + config.user() + " cannot read table " + s.table() + " (" + unreadable
                + "); have its owner run GRANT SELECT ON " + s.table() + " TO " + config.user() + ".", "table");
        Set<String> columns = inspection.shapes().get(s.table()).columnTypes().keySet();
        for (String[] needed : new String[][] {{s.key(), "key"}, {s.id() == null ? s.key() : s.id(), "id"}, {s.eventTime(), "eventTime"}}) {
            if (needed[0] == null || s.derived().containsKey(needed[0])) {
                continue;
            }
            String from = s.fields().get(needed[0]);
            boolean fed = from != null ? columns.contains(from) : columns.stream().anyMatch(c -> FactMapper.toFieldName(c).equals(needed[0]));
            require(fed, what + ": no column of " + s.table() + " fills the " + needed[1] + " field " + needed[0] + " (columns: " + columns
                    + "); name the column in fields, e.g. \"fields\": {\"" + needed[0] + "\": \"<column>\"}.", from != null ? "fields" : needed[1]);
        }
    }

    @Override
    public void checkTask(CatalogTask before, CatalogTask after) {
        String what = "Task " + after.task();
        require(after.sampling() > 0 && after.sampling() <= 1, what + ": sampling is " + after.sampling() + "; give a share of keys"
                + " with 0 < sampling <= 1 (1.0 takes every key).", "sampling");
        require(after.partitions() >= 1, what + ": partitions must be at least 1.", "partitions");
        for (String[] d : new String[][] {{after.allowedLateness(), "allowedLateness"}, {after.idleTimeout(), "idleTimeout"},
                {after.replayHorizon(), "replayHorizon"}, {after.quarantineWindow(), "quarantineWindow"}}) {
            try {
                DurationStyle.detectAndParse(d[0]);
            } catch (IllegalArgumentException e) {
                throw CatalogRefusal.invalid(what + ": " + d[1] + " '" + d[0] + "' is not a duration; write it like 5s, 2m or 500ms.", d[1]);
            }
        }
        try {
            rules.kieBase(after.task());
        } catch (IllegalStateException e) {
            throw CatalogRefusal.invalid(what + ": " + e.getMessage() + "; a task group is a KieBase of the active rules.", "task");
        }
        int running = catalog.task(after.task()).partitions();
        require(!bound.tasks().contains(after.task()) || after.partitions() == running, what + " runs with " + running + " partitions,"
                + " which its facts topic and sessions are built on; keep partitions at " + running + " (a change of partitions needs a"
                + " restart and a new facts topic).", "partitions");
    }

    @Override
    public void checkDatabase(CatalogDatabase database, DatabaseAccess access) {
        String unreachable;
        List<String> problems = List.of();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(access.jdbcUrl(5), access.username(),
                access.password() == null ? "" : access.password())) {
            unreachable = null;
            if (database.kind() == CatalogDatabase.Kind.MARIADB) {
                // binlog on, whole rows, and the user's privileges: what capture needs before it can start
                problems = io.recon.source.cdc.MariaDbTables.serverProblems(c, access.username(), access.host() + ":" + access.port());
            }
        } catch (java.sql.SQLException e) {
            unreachable = new io.recon.source.cdc.SecretMasker(access.password() == null ? List.of() : List.of(access.password()))
                    .mask(e.getMessage());
        }
        require(unreachable == null, "Database " + database.name() + ": Recon cannot connect to " + access.host() + ":" + access.port() + "/"
                + access.database() + " as " + access.username() + " (" + unreachable + "); check host, port, database, username and"
                + " password.", "host");
        require(problems.isEmpty(), "Database " + database.name() + ": " + String.join("; ", problems) + ".", "kind");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String message, String field) {
        if (!ok) {
            throw CatalogRefusal.invalid(message, field);
        }
    }
}
