package io.recon.system.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, in one ordered table (first match wins): the filter chain is built from it and a
 * refusal quotes it ("this needs HANDLER"), so the rule and its explanation cannot drift apart.
 * Every read needs a role; SOURCE is a system's role for pushing events and reads nothing.
 */
final class AccessRules {

    /** Roles that read: everybody but a pushing source system. */
    static final List<String> READERS = List.of("VIEWER", "HANDLER", "ANALYST", "RELEASER", "OPERATOR");

    /** @param roles who may; empty means anyone, signed in or not */
    record Rule(RequestMatcher matcher, List<String> roles) {

        boolean open() {
            return roles.isEmpty();
        }

        /** "HANDLER", "ANALYST or RELEASER". */
        String needs() {
            return roles.size() == 1 ? roles.get(0)
                    : String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
        }
    }

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    static final List<Rule> RULES = List.of(
            // signing in and out, and what the browser needs to show the sign-in page
            rule(List.of(), matcher(null, "/api/session")),
            rule(List.of(), new WorkbenchFiles()),
            // health for a load balancer: anonymous callers get UP/DOWN only (management.endpoint.health.show-details)
            rule(List.of(), matcher(HttpMethod.GET, "/actuator/health"), matcher(HttpMethod.GET, "/actuator/health/**")),
            rule(READERS, matcher(HttpMethod.GET, "/actuator/recon"), matcher(HttpMethod.GET, "/actuator/info")),
            rule(List.of("OPERATOR"), matcher(null, "/actuator/**")),
            rule(List.of("SOURCE", "OPERATOR"), matcher(HttpMethod.POST, "/api/events/**")),
            // lifting a quarantine puts a rule back into production: a release decision
            rule(List.of("RELEASER"), matcher(HttpMethod.POST, "/api/rules/quarantine/*/*/unquarantine")),
            rule(List.of("ANALYST", "RELEASER"), matcher(HttpMethod.POST, "/api/rules/**")),
            rule(List.of("RELEASER"), matcher(HttpMethod.POST, "/api/releases/*/activate"), matcher(HttpMethod.POST, "/api/releases/*/rollback"),
                    matcher(HttpMethod.POST, "/api/releases/*/retire"), matcher(HttpMethod.POST, "/api/releases/import"),
                    matcher(HttpMethod.POST, "/api/releases/*/canary"), matcher(HttpMethod.DELETE, "/api/releases/canary")),
            rule(List.of("ANALYST", "RELEASER"), matcher(HttpMethod.POST, "/api/releases")),
            // a kjar's bytes and a shadow run (replays of retained facts) are not for every reader
            rule(List.of("ANALYST", "RELEASER", "OPERATOR"), matcher(HttpMethod.GET, "/api/releases/*/export"),
                    matcher(HttpMethod.GET, "/api/releases/*/shadow")),
            rule(List.of("HANDLER"), matcher(HttpMethod.POST, "/api/mismatches/**")),
            rule(List.of("ANALYST", "RELEASER"), matcher(HttpMethod.PUT, "/api/drafts/**"), matcher(HttpMethod.DELETE, "/api/drafts/**")),
            // the catalog: what is captured and reconciled (contract.md); databases hold credentials
            rule(List.of("OPERATOR"), matcher(HttpMethod.PUT, "/api/databases/*"), matcher(HttpMethod.DELETE, "/api/databases/*")),
            rule(List.of("ANALYST", "OPERATOR"), matcher(HttpMethod.PUT, "/api/sources/*"), matcher(HttpMethod.DELETE, "/api/sources/*"),
                    matcher(HttpMethod.PUT, "/api/lookups/*"), matcher(HttpMethod.DELETE, "/api/lookups/*"),
                    matcher(HttpMethod.PUT, "/api/tasks/*"), matcher(HttpMethod.DELETE, "/api/tasks/*")),
            rule(List.of("ANALYST", "OPERATOR"), matcher(HttpMethod.POST, "/api/runs"), matcher(HttpMethod.POST, "/api/runs/*/cancel"),
                    matcher(HttpMethod.PUT, "/api/runs/schedules/*"), matcher(HttpMethod.DELETE, "/api/runs/schedules/*"),
                    matcher(HttpMethod.POST, "/api/runs/files"), matcher(HttpMethod.PUT, "/api/runs/mappings/*")),
            // an SQL check is analyst-written code that runs on Recon's database: written by analysts, like rules
            rule(List.of("ANALYST"), matcher(HttpMethod.PUT, "/api/runs/checks/*"), matcher(HttpMethod.DELETE, "/api/runs/checks/*")),
            rule(READERS, matcher(HttpMethod.GET, "/api/**")),
            rule(List.of("OPERATOR"), matcher(null, "/api/**")),
            rule(READERS, request -> true));

    private AccessRules() {
    }

    private static Rule rule(List<String> roles, RequestMatcher... matchers) {
        return new Rule(matchers.length == 1 ? matchers[0] : new org.springframework.security.web.util.matcher.OrRequestMatcher(matchers), roles);
    }

    private static RequestMatcher matcher(HttpMethod method, String pattern) {
        return PATHS.matcher(method, pattern);
    }

    static Rule ruleFor(HttpServletRequest request) {
        return RULES.stream().filter(r -> r.matcher().matches(request)).findFirst().orElseThrow();
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry auth) {
        for (Rule rule : RULES) {
            var matched = auth.requestMatchers(rule.matcher());
            if (rule.open()) {
                matched.permitAll();
            } else {
                matched.hasAnyRole(rule.roles().toArray(String[]::new));
            }
        }
    }

    /**
     * The workbench's static files and its client-side routes (a GET of a path without a dot outside
     * /api and /actuator), which the SPA fallback answers with index.html: open, so the sign-in page loads.
     */
    private static final class WorkbenchFiles implements RequestMatcher {

        @Override
        public boolean matches(HttpServletRequest request) {
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                return false;
            }
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.equals("/api") || path.startsWith("/api/") || path.equals("/actuator") || path.startsWith("/actuator/")) {
                return false;
            }
            if (path.equals("/") || path.equals("/index.html") || path.equals("/favicon.ico") || path.startsWith("/assets/")) {
                return !path.contains("..");
            }
            return !path.substring(path.lastIndexOf('/') + 1).matches(".*\\.[A-Za-z][A-Za-z0-9]{0,7}"); // a file, not /releases/1.0.0
        }
    }
}
