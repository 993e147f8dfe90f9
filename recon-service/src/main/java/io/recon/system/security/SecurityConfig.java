package io.recon.system.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what. Reading findings is open (the queue is meant to be seen); every write needs a
 * user with the role for its area, and the actuator beyond health and info needs an OPERATOR.
 * HTTP Basic, stateless: the API is used by systems and scripts as much as by people.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(Customizer.withDefaults())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/events/**").hasAnyRole("SOURCE", "OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/rules/**").hasAnyRole("ANALYST", "RELEASER")
                        .requestMatchers(HttpMethod.POST, "/api/releases/*/activate", "/api/releases/*/rollback", "/api/releases/*/retire",
                                "/api/releases/import").hasRole("RELEASER")
                        // a kjar's bytes and a shadow run (replays of retained facts) are not for anyone who can reach the port
                        .requestMatchers(HttpMethod.GET, "/api/releases/*/export", "/api/releases/*/shadow")
                        .hasAnyRole("ANALYST", "RELEASER", "OPERATOR")
                        .requestMatchers("/api/releases/**").access((authentication, context) -> readOrRole(context, "ANALYST", "RELEASER"))
                        .requestMatchers("/api/drafts/**").access((authentication, context) -> readOrRole(context, "ANALYST", "RELEASER"))
                        .requestMatchers("/api/mismatches/**").access((authentication, context) -> readOrRole(context, "HANDLER"))
                        .requestMatchers(HttpMethod.GET, "/api/**", "/", "/index.html", "/assets/**", "/favicon.ico").permitAll()
                        .requestMatchers("/api/**").hasRole("OPERATOR")
                        .anyRequest().permitAll());
        return http.build();
    }

    private static org.springframework.security.authorization.AuthorizationDecision readOrRole(
            org.springframework.security.web.access.intercept.RequestAuthorizationContext context, String... roles) {
        if (HttpMethod.GET.matches(context.getRequest().getMethod())) {
            return new org.springframework.security.authorization.AuthorizationDecision(true);
        }
        var auth = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        boolean granted = auth != null && auth.getAuthorities().stream()
                .anyMatch(a -> java.util.Arrays.stream(roles).anyMatch(r -> a.getAuthority().equals("ROLE_" + r)));
        return new org.springframework.security.authorization.AuthorizationDecision(granted);
    }

    @Bean
    UserDetailsService users(SecurityProperties properties) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        properties.users().forEach((name, user) -> users.createUser(User.withUsername(name)
                .password(user.password()).roles(user.roles().toArray(String[]::new)).build()));
        return users;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
