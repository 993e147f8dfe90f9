package io.recon.release;

import io.recon.authoring.UnknownVersionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The release registry in PostgreSQL: every rules version (released in rules-repo or published
 * from the workbench), its status, who made it and its rule-level difference from the version
 * before it; and every activation. Registers the repository's versions at start.
 */
@Component
public class ReleaseRegistry {

    private static final Logger log = LoggerFactory.getLogger(ReleaseRegistry.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Orders versions by their numeric parts: 1.0.10 after 1.0.9. */
    public static final Comparator<String> VERSION_ORDER = ReleaseRegistry::compareVersions;

    private final JdbcTemplate jdbc;
    private final RulesProperties properties;

    public record Release(String version, List<String> taskGroups, String author, String notes, Instant createdAt, String status,
                          String origin, String previousVersion, RuleDiff diff, String kjarSha256) {
    }

    public record Activation(long id, String fromVersion, String toVersion, String requestedBy, Instant requestedAt, String outcome,
                             String detail, Long pauseMillis) {
    }

    ReleaseRegistry(JdbcTemplate jdbc, RulesProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        registerRepositoryVersions();
    }

    /** Versions committed to rules-repo that the registry does not know yet, oldest first. */
    private void registerRepositoryVersions() {
        Path artifact = Path.of(properties.repository()).resolve(properties.groupId().replace('.', '/')).resolve(properties.artifactId());
        if (!Files.isDirectory(artifact)) {
            return;
        }
        List<String> versions;
        try (Stream<Path> dirs = Files.list(artifact)) {
            versions = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(v -> Files.isRegularFile(artifact.resolve(v).resolve(properties.artifactId() + "-" + v + ".jar")))
                    .sorted(VERSION_ORDER).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list released rules in " + artifact + ": " + e.getMessage(), e);
        }
        for (String version : versions) {
            if (find(version).isEmpty()) {
                try {
                    byte[] kjar = Files.readAllBytes(artifact.resolve(version).resolve(properties.artifactId() + "-" + version + ".jar"));
                    register(version, List.of(), "rules-repo", "released with Maven into rules-repo", "RELEASED", "REPOSITORY", kjar, false);
                    log.info("release registry: registered rules {} from rules-repo", version);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Adds a version; its diff is taken against the highest version number below it. */
    public Release register(String version, List<String> taskGroups, String author, String notes, String status, String origin,
                            byte[] kjar, boolean storeKjar) {
        Optional<String> previous = jdbc.queryForList("select version from rule_release", String.class).stream()
                .filter(v -> VERSION_ORDER.compare(v, version) < 0).max(VERSION_ORDER);
        RuleDiff diff = RuleDiff.between(previous.map(v -> RuleDiff.rulesOf(kjarBytes(v))).orElse(java.util.Map.of()), RuleDiff.rulesOf(kjar));
        List<String> tasks = taskGroups.isEmpty() ? kbaseNames(kjar) : taskGroups;
        jdbc.update("""
                insert into rule_release (version, task_groups, author, notes, status, origin, previous_version, diff, kjar, kjar_sha256)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""",
                version, String.join(",", tasks), author, notes, status, origin, previous.orElse(null), JSON.writeValueAsString(diff),
                storeKjar ? kjar : null, sha256(kjar));
        return find(version).orElseThrow();
    }

    public List<Release> list() {
        return jdbc.query(SELECT + " order by created_at desc, version desc", (rs, n) -> release(rs)).stream()
                .sorted(Comparator.comparing(Release::version, VERSION_ORDER).reversed()).toList();
    }

    public Optional<Release> find(String version) {
        return jdbc.query(SELECT + " where version = ?", (rs, n) -> release(rs), version).stream().findFirst();
    }

    public Optional<String> active() {
        return jdbc.queryForList("select version from rule_release where status = 'ACTIVE'", String.class).stream().findFirst();
    }

    /** The kjar of a version: stored in the registry when published, else read from rules-repo. */
    public byte[] kjarBytes(String version) {
        List<byte[]> stored = jdbc.query("select kjar from rule_release where version = ? and kjar is not null", (rs, n) -> rs.getBytes(1), version);
        if (!stored.isEmpty()) {
            return stored.get(0);
        }
        Path jar = Path.of(properties.repository()).resolve(properties.groupId().replace('.', '/')).resolve(properties.artifactId())
                .resolve(version).resolve(properties.artifactId() + "-" + version + ".jar");
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new UnknownVersionException("There is no rules version " + version + " (not published, and not in rules-repo).");
        }
    }

    /** Makes {@code version} the active one; the previously active version goes back to RELEASED. */
    public void markActive(String version) {
        jdbc.update("update rule_release set status = 'RELEASED' where status = 'ACTIVE' and version <> ?", version);
        jdbc.update("update rule_release set status = 'ACTIVE' where version = ?", version);
    }

    /** Takes a version out of use for good: it is kept for the record but can no longer be activated. */
    public boolean retire(String version) {
        return jdbc.update("update rule_release set status = 'RETIRED' where version = ? and status <> 'ACTIVE'", version) == 1;
    }

    public void recordActivation(String from, String to, String by, String outcome, String detail, Long pauseMillis) {
        jdbc.update("insert into rule_activation (from_version, to_version, requested_by, outcome, detail, pause_millis) values (?, ?, ?, ?, ?, ?)",
                from, to, by, outcome, detail, pauseMillis);
    }

    public List<Activation> activations() {
        return jdbc.query("select id, from_version, to_version, requested_by, requested_at, outcome, detail, pause_millis from rule_activation order by id desc",
                (rs, n) -> new Activation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), (Long) rs.getObject(8)));
    }

    /** The active version's predecessor in activation history: what a rollback goes back to. */
    public Optional<String> previouslyActive() {
        return jdbc.queryForList("select from_version from rule_activation where outcome = 'ACTIVATED' and from_version is not null"
                + " order by id desc limit 1", String.class).stream().findFirst();
    }

    /** The canary running now, if any (it outlives a restart: the sessions it covers start on its version). */
    public Optional<Canary> canary() {
        return jdbc.query("select task, version, partitions, start_offsets::text, started_by, started_at from release_canary", (rs, n) -> {
            java.util.Set<Integer> partitions = new java.util.TreeSet<>();
            for (String p : rs.getString(3).split(",")) {
                partitions.add(Integer.parseInt(p));
            }
            java.util.Map<Integer, Long> offsets = new java.util.TreeMap<>();
            JSON.readTree(rs.getString(4)).properties().forEach(e -> offsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            return new Canary(rs.getString(1), rs.getString(2), partitions, offsets, rs.getString(5), rs.getTimestamp(6).toInstant());
        }).stream().findFirst();
    }

    void startCanary(Canary canary) {
        jdbc.update("insert into release_canary (task, version, partitions, start_offsets, started_by, started_at) values (?, ?, ?, ?::jsonb, ?, ?)",
                canary.task(), canary.version(), String.join(",", canary.partitions().stream().map(String::valueOf).toList()),
                JSON.writeValueAsString(canary.startOffsets()), canary.startedBy(), Timestamp.from(canary.startedAt()));
    }

    void endCanary() {
        jdbc.update("delete from release_canary");
    }

    private static final String SELECT = "select version, task_groups, author, notes, created_at, status, origin, previous_version, diff::text,"
            + " kjar_sha256 from rule_release";

    private static Release release(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp created = rs.getTimestamp(5);
        return new Release(rs.getString(1), List.of(rs.getString(2).split(",")), rs.getString(3), rs.getString(4), created.toInstant(),
                rs.getString(6), rs.getString(7), rs.getString(8), JSON.readValue(rs.getString(9), RuleDiff.class), rs.getString(10));
    }

    private static List<String> kbaseNames(byte[] kjar) {
        String kmodule = KjarFiles.read(kjar, "META-INF/kmodule.xml").values().stream().findFirst().orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<kbase[^>]*\\bname=\"([^\"]+)\"").matcher(kmodule);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+") ? Long.compare(Long.parseLong(p), Long.parseLong(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
