package io.recon.docker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of {@code docker/} as the tests read them without a Docker engine: the compose file (with its YAML
 * anchors and merge keys resolved, as compose resolves them), the Grafana dashboard's PromQL queries and the metric
 * names they read.
 */
public final class DockerStack {

    /** From the module directory, where the tests run. */
    public static final Path DIR = Path.of("../docker");
    public static final Path COMPOSE = DIR.resolve("compose.yaml");
    public static final Path DASHBOARD = DIR.resolve("grafana/dashboards/recon.json");
    /** The connector configuration, the one ConnectSourceIT registers with its Connect worker. */
    public static final Path CONNECTOR = DIR.resolve("connect/recon-postgres.json");
    /** The image the Recon replicas are built as. */
    static final String RECON_IMAGE = "recon:local";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+?)\\s*,[^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan");

    private DockerStack() {
    }

    /** The compose file as maps and lists; merge keys ({@code <<: *anchor}) are resolved by SnakeYAML. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> compose() {
        return (Map<String, Object>) yaml(COMPOSE);
    }

    public static Object yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    /** The services that run Recon (built as {@link #RECON_IMAGE}), by name. */
    public static Map<String, Map<String, Object>> reconServices() {
        Map<String, Map<String, Object>> recon = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (RECON_IMAGE.equals(service.get("image"))) {
                recon.put(name, service);
            }
        });
        return recon;
    }

    /** A service's environment as compose sets it (map form or list form {@code NAME=value}). */
    @SuppressWarnings("unchecked")
    public static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (declared instanceof List<?> list) {
            for (Object entry : list) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** A service's bind mounts (short syntax {@code host:container[:mode]}): container path -> host path under docker/. */
    @SuppressWarnings("unchecked")
    public static Map<String, Path> bindMounts(Map<String, Object> service) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                mounts.put(parts[1], DIR.resolve(parts[0]).normalize());
            }
        }
        return mounts;
    }

    /**
     * Every query of the dashboard: the PromQL of its panels ({@code targets[].expr}, rows included) and of its
     * template variables ({@code label_values(metric, label)} reads that metric).
     */
    public static List<String> dashboardQueries() {
        JsonNode dashboard = json(DASHBOARD);
        List<String> queries = new ArrayList<>();
        collectQueries(dashboard.get("panels"), queries);
        JsonNode variables = dashboard.path("templating").path("list");
        for (JsonNode variable : variables) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString("") : query.asString("");
            if ("query".equals(variable.path("type").asString("")) && !text.isBlank()) {
                queries.add(LABEL_VALUES.matcher(text).replaceAll("$1"));
            }
        }
        return queries;
    }

    private static void collectQueries(JsonNode panels, List<String> queries) {
        if (panels == null) {
            return;
        }
        for (JsonNode panel : panels) {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                for (JsonNode target : targets) {
                    if (target.has("expr")) {
                        queries.add(target.get("expr").asString());
                    }
                }
            }
            collectQueries(panel.get("panels"), queries);
        }
    }

    /**
     * The metric names a PromQL expression reads: what is left after dropping string literals, label matchers
     * ({@code {...}}), range and subquery selectors ({@code [...]}), grouping clauses ({@code by (...)} and the like),
     * function and aggregation names (an identifier followed by {@code (}), keywords and numbers.
     */
    public static Set<String> metricNames(String promql) {
        String rest = STRINGS.matcher(promql).replaceAll(" ");
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group();
            boolean call = rest.substring(m.end()).stripLeading().startsWith("(");
            boolean partOfNumber = m.start() > 0 && Character.isDigit(rest.charAt(m.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition ({@code name{labels} value} lines; comments skipped). */
    public static Set<String> exportedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENTIFIER.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
