package io.recon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code docker/} stack, checked without a Docker engine: its files parse; the three Recon replicas run as a
 * cluster with an instance id each and set only variables the service reads; the connector configuration compose
 * registers is the one ConnectSourceIT registers, and there is no second one; Prometheus scrapes every replica with a
 * user Recon lets read the metrics; every service has a healthcheck; the image is layered and runs as non-root.
 */
class DockerStackTest {

    private static final Path APPLICATION_YML = Path.of("src/main/resources/application.yml");

    private static Map<String, Map<String, Object>> services;
    private static Map<String, Map<String, Object>> recon;

    @BeforeAll
    static void read() {
        services = DockerStack.services();
        recon = DockerStack.reconServices();
    }

    @Test
    void everyYamlAndJsonFileOfTheStackParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DockerStack.DIR)) {
            files = walk.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(files).contains(DockerStack.COMPOSE, DockerStack.DASHBOARD, DockerStack.CONNECTOR);
        for (Path file : files) {
            if (file.toString().endsWith(".json")) {
                assertThat(DockerStack.json(file).isObject()).as(file.toString()).isTrue();
            } else {
                assertThat(DockerStack.yaml(file)).as(file.toString()).isInstanceOf(Map.class);
            }
        }
    }

    @Test
    void threeReplicasFormAClusterEachWithItsOwnInstanceIdAndPort() {
        assertThat(recon).hasSize(3);
        Set<String> ids = new TreeSet<>();
        Set<Object> ports = new TreeSet<>(java.util.Comparator.comparing(String::valueOf));
        recon.forEach((name, service) -> {
            Map<String, String> env = DockerStack.environment(service);
            assertThat(env).as(name).containsEntry("RECON_CLUSTER_ENABLED", "true");
            assertThat(env.get("RECON_INSTANCE_ID")).as(name + " instance id").isNotBlank();
            ids.add(env.get("RECON_INSTANCE_ID"));
            assertThat(env.get("RECON_DATASOURCE_URL")).as(name).startsWith("jdbc:postgresql://postgres:");
            assertThat(env.get("RECON_KAFKA_BOOTSTRAP")).as(name).startsWith("kafka:");
            ports.addAll((List<?>) service.get("ports"));
            assertThat(DockerStack.bindMounts(service)).as(name + " mounts the released rules")
                    .containsEntry(env.get("RECON_RULES_REPOSITORY"), Path.of("../rules-repo/repository"));
        });
        assertThat(ids).as("instance ids").hasSize(3);
        assertThat(ports).as("host ports").hasSize(3);
    }

    @Test
    void everyVariableSetForRecon_isOneTheServiceReads() {
        Map<String, String> unread = new TreeMap<>();
        recon.forEach((name, service) -> {
            ServiceProperties reads = ServiceProperties.of(configFilesOf(service).toArray(Path[]::new));
            DockerStack.environment(service).keySet().forEach(variable -> {
                String why = reads.unread(variable);
                if (why != null) {
                    unread.put(name + " " + variable, why);
                }
            });
        });
        assertThat(unread).as("variables compose sets that Recon never reads").isEmpty();
    }

    @Test
    void theRuleRefusesAMisspeltVariableAndKnowsRelaxedNames() {
        ServiceProperties reads = ServiceProperties.of(APPLICATION_YML);
        assertThat(reads.unread("RECON_CLUSTER_ENABLED")).isNull();                // a placeholder in application.yml
        assertThat(reads.unread("RECON_CLUSTER_SESSIONTIMEOUT")).isNull();         // recon.cluster.session-timeout
        assertThat(reads.unread("RECON_CLUSTER_SESSION_TIMEOUT")).isNull();        // the same, legacy form
        assertThat(reads.unread("SPRING_CONFIG_ADDITIONAL_LOCATION")).isNull();    // spring.config.additional-location
        assertThat(reads.unread("RECON_DATABASES_LEDGER_HOST")).isNull();          // a map key of SourceDatabasesProperties
        assertThat(reads.unread("RECON_CATALOG_KEY")).isNull();                    // @Value("${recon.catalog.key:}")
        assertThat(reads.unread("SERVER_PORT")).isNull();                          // Spring Boot's metadata
        assertThat(reads.unread("RECON_CLUSTER_ENABLD")).contains("RECON_CLUSTER_ENABLD");
        assertThat(reads.unread("RECON_DATABASES_LEDGER_HOSTNAME")).isNotNull();   // no such field of a database
        assertThat(reads.unread("RECON_INSTANCE")).isNotNull();
    }

    @Test
    void theConfigurationTheReplicasLoadNamesOnlyPropertiesTheServiceBinds() {
        for (Map<String, Object> service : recon.values()) {
            List<Path> files = configFilesOf(service);
            assertThat(files).as("the file SPRING_CONFIG_ADDITIONAL_LOCATION names, mounted").hasSize(2);
            ServiceProperties reads = ServiceProperties.of(APPLICATION_YML);
            List<String> unknown = new ArrayList<>();
            ServiceProperties.flatten("", DockerStack.yaml(files.get(1)), key -> {
                if (!reads.binds(key)) {
                    unknown.add(key);
                }
            });
            assertThat(unknown).as(files.get(1) + ": keys the service does not bind").isEmpty();
        }
    }

    @Test
    void composeRegistersTheConnectorConfigurationConnectSourceItRegisters_andThereIsNoSecond() throws IOException {
        Map<String, Object> register = services.get("register-connector");
        Map<String, Path> mounts = DockerStack.bindMounts(register);
        String mounted = mounts.entrySet().stream().filter(e -> e.getValue().equals(DockerStack.CONNECTOR.normalize()))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("register-connector does not mount "
                        + DockerStack.CONNECTOR + ": " + mounts));
        assertThat(String.valueOf(register.get("command"))).contains("--data @" + mounted).contains("http://connect:8083/connectors");

        // one connector configuration in the repository: the file the test and compose share
        List<Path> configs = new ArrayList<>();
        Set<String> skipped = Set.of(".git", "target", "node_modules", "dist", ".recon");
        Files.walkFileTree(Path.of(".."), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && skipped.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.toString().endsWith(".json") && read(file).contains("\"connector.class\"")) {
                    configs.add(file.normalize());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertThat(configs).containsExactly(DockerStack.CONNECTOR.normalize());

        // what the connector needs from the stack is there
        JsonNode config = DockerStack.json(DockerStack.CONNECTOR).get("config");
        assertThat(services).containsKey(config.get("database.hostname").asString());
        assertThat(read(DockerStack.DIR.resolve("postgres/init.sh"))).contains("for db in shop pay wms")
                .contains("create database $db");
        assertThat(config.get("database.dbname").asString()).isIn("shop", "pay", "wms");
        Map<String, String> worker = DockerStack.environment(services.get("connect"));
        assertThat(config.get("database.password").asString()).isEqualTo("${env:RECON_CAPTURE_PASSWORD}");
        assertThat(worker).containsKey("RECON_CAPTURE_PASSWORD").containsEntry("CONNECT_CONFIG_PROVIDERS", "env")
                .containsEntry("CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(List.of(((String) services.get("postgres").get("command").toString()).split("[\\[\\], ]+"))).contains("wal_level=logical");

        // the topic it writes is the one the replicas bind as a CONNECT source, created before they start
        String topic = config.get("topic.prefix").asString() + "." + config.get("table.include.list").asString().replace("\\.", ".");
        Map<?, ?> shopOrders = (Map<?, ?>) path(DockerStack.yaml(DockerStack.DIR.resolve("recon/recon-docker.yml")), "recon", "sources", "shop-orders");
        assertThat(shopOrders.get("kind")).isEqualTo("connect");
        assertThat(shopOrders.get("topic")).isEqualTo(topic);
        assertThat(String.valueOf(services.get("topics").get("command"))).contains(topic);
    }

    @Test
    void prometheusScrapesEveryReplicaAsAnOperatorTheReplicasKnow() {
        Map<?, ?> prometheus = (Map<?, ?>) DockerStack.yaml(DockerStack.DIR.resolve("prometheus/prometheus.yml"));
        Map<?, ?> job = ((List<?>) prometheus.get("scrape_configs")).stream().map(Map.class::cast)
                .filter(j -> "recon".equals(j.get("job_name"))).findFirst().orElseThrow();
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<Object> targets = (List<Object>) ((Map<?, ?>) ((List<?>) job.get("static_configs")).get(0)).get("targets");
        assertThat(strings(targets)).containsExactlyInAnyOrderElementsOf(recon.keySet().stream().map(n -> n + ":8080").toList());

        Map<?, ?> auth = (Map<?, ?>) job.get("basic_auth");
        Map<?, ?> user = (Map<?, ?>) path(DockerStack.yaml(DockerStack.DIR.resolve("recon/recon-docker.yml")),
                "recon", "security", "users", auth.get("username"));
        assertThat(strings(user.get("roles"))).as("/actuator/prometheus needs OPERATOR (AccessIT)").contains("OPERATOR");
        assertThat(String.valueOf(user.get("password"))).startsWith("${").doesNotContain("bcrypt");
        // the plain password reaches Prometheus as a file, from a compose secret
        assertThat(String.valueOf(auth.get("password_file"))).isEqualTo("/run/secrets/metrics_password");
        assertThat(strings(services.get("prometheus").get("secrets"))).contains("metrics_password");
    }

    @Test
    void everyServiceHasAHealthcheck_andNoSecretHasADefault() throws IOException {
        Map<String, Object> missing = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (!(service.get("healthcheck") instanceof Map<?, ?> check) || !(check.get("test") instanceof List<?>)) {
                missing.put(name, service.get("healthcheck"));
            }
        });
        assertThat(missing).as("services without a healthcheck").isEmpty();
        String compose = read(DockerStack.COMPOSE);
        for (String secret : List.of("POSTGRES_PASSWORD", "RECON_CATALOG_KEY", "RECON_METRICS_PASSWORD_HASH", "RECON_ADMIN_PASSWORD_HASH",
                "GRAFANA_ADMIN_PASSWORD")) {
            assertThat(compose).contains("${" + secret + ":?").doesNotContain("${" + secret + ":-").doesNotContain("${" + secret + "}");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theImageIsLayeredOnAJava17RuntimeAndRunsAsNonRoot() throws IOException {
        List<String> lines = Files.readAllLines(DockerStack.DIR.resolve("Dockerfile")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("FROM "))).hasSize(2).allMatch(l -> l.contains(":17-"));
        assertThat(lines).anyMatch(l -> l.contains("-Djarmode=tools") && l.contains("extract --layers"));
        assertThat(lines.stream().filter(l -> l.startsWith("COPY --from=layers")).map(l -> l.split("/")[3]))
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
        assertThat(lines.get(lines.size() - 1)).startsWith("ENTRYPOINT").contains("\"-jar\"").contains("recon-service.jar");
        Map<String, Object> build = (Map<String, Object>) recon.values().iterator().next().get("build");
        assertThat(build).containsEntry("context", "..").containsEntry("dockerfile", "docker/Dockerfile");
    }

    @Test
    void metricNamesAreWhatIsLeftOfAQueryWithoutFunctionsLabelsAndRanges() {
        assertThat(DockerStack.metricNames("histogram_quantile(0.99, sum by (le) (rate(recon_mismatch_latency_seconds_bucket{task=~\"$task\"}[5m])))"))
                .containsExactly("recon_mismatch_latency_seconds_bucket");
        assertThat(DockerStack.metricNames("count by (instance) (recon_session_queue_depth) / on(instance) group_left up{job=\"recon\"}"))
                .containsExactly("recon_session_queue_depth", "up");
        assertThat(DockerStack.metricNames("sum(rate(a_total[1m])) - 1e3 * b_total offset 5m"))
                .containsExactly("a_total", "b_total");
        assertThat(DockerStack.exportedNames("# HELP x\n# TYPE x counter\nx_total{a=\"b\"} 1.0\ny 2\n"))
                .containsExactly("x_total", "y");
    }

    /** application.yml and the file SPRING_CONFIG_ADDITIONAL_LOCATION points at, as the host has it. */
    private static List<Path> configFilesOf(Map<String, Object> service) {
        List<Path> files = new ArrayList<>(List.of(APPLICATION_YML));
        String location = DockerStack.environment(service).get("SPRING_CONFIG_ADDITIONAL_LOCATION");
        if (location != null) {
            String container = location.replaceFirst("^optional:", "").replaceFirst("^file:", "");
            Path host = DockerStack.bindMounts(service).get(container);
            assertThat(host).as("mounted at " + container).isNotNull();
            assertThat(host).exists();
            files.add(host);
        }
        return files;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static Object path(Object yaml, Object... keys) {
        Object node = yaml;
        for (Object key : keys) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
