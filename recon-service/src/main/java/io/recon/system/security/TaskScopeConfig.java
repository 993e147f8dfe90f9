package io.recon.system.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every API call passes the task-scope guard before its controller. */
@Configuration(proxyBeanMethods = false)
class TaskScopeConfig implements WebMvcConfigurer {

    private final JdbcTemplate jdbc;

    TaskScopeConfig(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new TaskScopeGuard(jdbc)).addPathPatterns("/api/**");
    }
}
