package io.recon.system.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two ways in. People use the workbench, which signs in once ({@code POST /api/session}) and then sends
 * a session cookie; since a browser sends that cookie on its own, every write with it must also carry the
 * CSRF token (double-submit: header X-XSRF-TOKEN equal to cookie XSRF-TOKEN). Systems and scripts send
 * HTTP Basic credentials on every request: stateless, no session, no CSRF token (a cross-site page cannot
 * make a browser add an Authorization header). Who may call what is {@link AccessRules}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    SecurityFilterChain api(HttpSecurity http, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens,
                            AuthenticationManager authenticationManager) throws Exception {
        SecurityErrors errors = new SecurityErrors();
        http.authenticationManager(authenticationManager)
                .securityContext(c -> c.securityContextRepository(contexts))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(SecurityConfig::needsCsrfToken))
                .httpBasic(basic -> basic.authenticationEntryPoint(errors))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .authorizeHttpRequests(auth -> {
                    auth.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    AccessRules.apply(auth);
                });
        return http.build();
    }

    /**
     * A write that a browser could be tricked into sending: one that rides on a session (the cookie), and
     * the sign-in itself (login CSRF). Without a session and without Basic credentials a write is anonymous
     * and refused with 401 anyway.
     */
    private static boolean needsCsrfToken(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod()) || basic(request)) {
            return false;
        }
        return request.getSession(false) != null || SESSION_ENDPOINT.matches(request);
    }

    private static final RequestMatcher SESSION_ENDPOINT =
            org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults()
                    .matcher(org.springframework.http.HttpMethod.POST, "/api/session");

    private static boolean basic(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** Before Spring Security's filters: an oversized body is refused before anything reads it. */
    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(SecurityProperties properties) {
        FilterRegistrationBean<BodySizeLimit> registration = new FilterRegistrationBean<>(new BodySizeLimit(properties.limits()));
        registration.setOrder(org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10);
        return registration;
    }

    /** The session for the workbench; within one request, what Basic authenticated (never stored). */
    @Bean
    SecurityContextRepository securityContextRepository() {
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
    }

    /** Cookie XSRF-TOKEN, readable by the workbench's script, sent back as header X-XSRF-TOKEN. */
    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        tokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
        return tokens;
    }

    @Bean
    AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder passwordEncoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(passwordEncoder);
        return new ProviderManager(provider);
    }

    @Bean
    UserDetailsService users(SecurityProperties properties, JdbcTemplate jdbc, ObjectProvider<DemoUsers> demo, PasswordEncoder passwordEncoder) {
        return new ReconUsers(new ConfiguredUsers(properties), new StoredUsers(jdbc), demo.getIfAvailable())
                .checked(new PasswordPolicy(passwordEncoder));
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new VerifiedPasswords(PasswordEncoderFactories.createDelegatingPasswordEncoder(), java.time.Duration.ofMinutes(5),
                java.time.Clock.systemUTC());
    }
}
