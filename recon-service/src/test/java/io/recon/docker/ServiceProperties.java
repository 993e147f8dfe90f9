package io.recon.docker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the service reads from its environment, for checking a deployment's variables without starting it. A variable
 * counts as read when
 * <ol>
 *   <li>a configuration file the service loads names it as a placeholder ({@code ${NAME}} or {@code ${NAME:default}}),
 *       or</li>
 *   <li>it is an environment name Spring Boot binds (its rule for the system environment: upper case, {@code .}
 *       to {@code _}, dashes dropped or made {@code _}) of a property the service binds: a key of those files, a property of one of Recon's
 *       {@code @ConfigurationProperties} records (walked by reflection; a map's keys match anything), a {@code @Value}
 *       placeholder in Recon's classes, or a property in the Spring Boot configuration metadata on the class path,
 *       or</li>
 *   <li>it is read by the JVM itself ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}).</li>
 * </ol>
 */
final class ServiceProperties {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final String ANY = "*";

    private final Set<String> placeholders = new TreeSet<>();
    /** Known property names as their elements (lower case, dashes kept); {@link #ANY} for a map key. */
    private final Set<List<String>> properties = new HashSet<>();

    /** @param configFiles the YAML files the service loads: its application.yml and what a deployment adds */
    ServiceProperties(List<Path> configFiles) {
        for (Path file : configFiles) {
            addConfigFile(file);
        }
        addConfigurationPropertiesRecords();
        addValuePlaceholders();
        addSpringBootMetadata();
    }

    static ServiceProperties of(Path... configFiles) {
        return new ServiceProperties(List.of(configFiles));
    }

    /** Why the service does not read this variable, or null when it does. */
    String unread(String variable) {
        if (placeholders.contains(variable) || JVM.contains(variable)) {
            return null;
        }
        for (List<String> known : properties) {
            if (environmentName(known).matcher(variable).matches()) {
                return null;
            }
        }
        return variable + " is neither a placeholder in the configuration nor the environment name of a property the service binds";
    }

    /**
     * The environment variables Spring Boot binds to a property, as its mapping for the system environment has them:
     * upper case, elements joined by {@code _}, within an element the dashes dropped ({@code INSTANCEID}) or, the
     * legacy form, made {@code _} too ({@code INSTANCE_ID}); a map key is any name.
     */
    private static Pattern environmentName(List<String> known) {
        StringBuilder regex = new StringBuilder();
        for (String element : known) {
            if (!regex.isEmpty()) {
                regex.append('_');
            }
            if (element.equals(ANY)) {
                regex.append("[A-Z0-9]+");
            } else {
                String upper = element.toUpperCase(java.util.Locale.ROOT);
                regex.append("(?:").append(Pattern.quote(upper.replace("-", ""))).append('|')
                        .append(Pattern.quote(upper.replace('-', '_'))).append(')');
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether a property name (as written in a YAML file) is one the service binds. */
    boolean binds(String property) {
        return binds(ConfigurationPropertyName.adapt(property, '.'));
    }

    private boolean binds(ConfigurationPropertyName name) {
        List<String> elements = uniform(name);
        for (List<String> known : properties) {
            if (matches(known, elements)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<String> known, List<String> name) {
        if (known.size() != name.size()) {
            return false;
        }
        for (int i = 0; i < known.size(); i++) {
            if (!known.get(i).equals(ANY) && !known.get(i).replace("-", "").equals(name.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> uniform(ConfigurationPropertyName name) {
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            elements.add(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
        }
        return elements;
    }

    /** A property as its elements in lower case, dashes kept ({@code instance-id}); {@link #ANY} for a map key. */
    private void addName(String name) {
        ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name.replace("*", "any-key"), '.');
        List<String> elements = new ArrayList<>();
        String[] raw = name.split("\\.");
        for (int i = 0; i < adapted.getNumberOfElements(); i++) {
            boolean mapKey = i < raw.length && raw[i].equals(ANY);
            elements.add(mapKey ? ANY : adapted.getElement(i, ConfigurationPropertyName.Form.DASHED));
        }
        properties.add(elements);
    }

    private void addConfigFile(Path file) {
        try {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                placeholders.add(m.group(1));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        flatten("", DockerStack.yaml(file), this::addName);
    }

    /** The keys of a YAML tree as dotted names; a list is a value (like the property it binds to). */
    static void flatten(String prefix, Object node, java.util.function.Consumer<String> names) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, names));
        } else if (!prefix.isEmpty()) {
            names.accept(prefix);
        }
    }

    private void addConfigurationPropertiesRecords() {
        for (Class<?> type : reconClasses()) {
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            if (annotation != null && type.isRecord()) {
                String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
                walk(prefix, type, new HashSet<>());
            }
        }
    }

    private void walk(String prefix, Type type, Set<Type> seen) {
        Class<?> raw = rawClass(type);
        if (raw != null && raw.isRecord() && seen.add(raw)) {
            for (RecordComponent component : raw.getRecordComponents()) {
                walk(prefix + "." + component.getName(), component.getGenericType(), seen);
            }
            seen.remove(raw);
        } else if (raw != null && Map.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
            walk(prefix + "." + ANY, p.getActualTypeArguments()[1], seen);
        } else {
            addName(prefix);
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private void addValuePlaceholders() {
        for (Class<?> type : reconClasses()) {
            List<Annotation[]> annotated = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                annotated.add(field.getAnnotations());
            }
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            executables.addAll(List.of(type.getDeclaredMethods()));
            for (Executable executable : executables) {
                annotated.add(executable.getAnnotations());
                annotated.addAll(List.of(executable.getParameterAnnotations()));
            }
            for (Annotation[] annotations : annotated) {
                for (Annotation annotation : annotations) {
                    if (annotation instanceof Value value) {
                        Matcher m = PLACEHOLDER.matcher(value.value());
                        while (m.find()) {
                            addName(m.group(1));
                        }
                    }
                }
            }
        }
    }

    private void addSpringBootMetadata() {
        JsonMapper json = JsonMapper.builder().build();
        for (String resource : List.of("META-INF/spring-configuration-metadata.json", "META-INF/additional-spring-configuration-metadata.json")) {
            try {
                Enumeration<URL> urls = getClass().getClassLoader().getResources(resource);
                while (urls.hasMoreElements()) {
                    try (InputStream in = urls.nextElement().openStream()) {
                        JsonNode properties = json.readTree(in).get("properties");
                        if (properties != null) {
                            for (JsonNode property : properties) {
                                addName(property.get("name").asString());
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
    }

    /** Recon's own classes (main and test output), loaded without initialising them. */
    private static Collection<Class<?>> reconClasses() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter((reader, factory) -> true);
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.recon")) {
            try {
                classes.add(Class.forName(candidate.getBeanClassName(), false, ServiceProperties.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + candidate.getBeanClassName() + ": " + e, e);
            }
        }
        return classes;
    }

    /** For a failure message. */
    @Override
    public String toString() {
        return properties.size() + " property names, placeholders " + placeholders;
    }
}
