package io.recon.system.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded demo's six users, one per role, password = name. They exist only while the demo runs
 * (the same condition as the demo itself): anywhere else these passwords are refused at start.
 */
final class DemoUsers {

    static final Map<String, List<String>> ROLES = Map.of(
            "analyst", List.of("ANALYST"),
            "releaser", List.of("RELEASER", "ANALYST"),
            "operator", List.of("OPERATOR"),
            "handler", List.of("HANDLER"),
            "viewer", List.of("VIEWER"),
            "source", List.of("SOURCE"));

    private final Map<String, ReconUser> users = new TreeMap<>();

    DemoUsers() {
        ROLES.forEach((name, roles) -> users.put(name, new ReconUser(name, "{noop}" + name, roles, List.of())));
    }

    Optional<ReconUser> find(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "recon.demo.enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnExpression("'${recon.datasource.url:}'.isBlank()")
    static class WhileTheDemoRuns {

        @Bean
        DemoUsers demoUsers() {
            return new DemoUsers();
        }
    }
}
