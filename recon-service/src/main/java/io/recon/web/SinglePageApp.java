package io.recon.web;

import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the workbench (the ui-workbench jar puts the built app under META-INF/resources). The app
 * routes in the browser, so a refresh or a shared link on {@code /mismatches?type=AMOUNT} must answer
 * with index.html: every GET that is not the API, the actuator or a file (an extension such as .js).
 * Vite names assets by content hash, so they are cached for a year; index.html never, so a new
 * release is picked up on the next load.
 */
@Configuration(proxyBeanMethods = false)
class SinglePageApp implements WebMvcConfigurer {

    static final String INDEX = "META-INF/resources/index.html";
    private static final java.util.regex.Pattern FILE = java.util.regex.Pattern.compile(".*\\.[A-Za-z][A-Za-z0-9]{0,7}");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/META-INF/resources/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/index.html").addResourceLocations("classpath:/META-INF/resources/")
                .setCacheControl(CacheControl.noCache());
    }

    /** Runs after the controllers' mappings, so an existing API route always wins. */
    @Bean
    RouterFunction<ServerResponse> clientRoutes() {
        Resource index = new ClassPathResource(INDEX);
        return RouterFunctions.route(clientRoute(), request -> index.exists()
                ? ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(index)
                : ServerResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                        .body("The workbench is not in this build: build ui-workbench (./mvnw package) to serve it at /."));
    }

    /** A browser's own GET; not the error dispatch of a refused or missing request (that stays a 4xx). */
    static RequestPredicate clientRoute() {
        return request -> request.servletRequest().getDispatcherType() == DispatcherType.REQUEST
                && "GET".equals(request.method().name()) && isClientRoute(request.path());
    }

    static boolean isClientRoute(String path) {
        for (String server : new String[] {"/api", "/actuator", "/error"}) {
            if (path.equals(server) || path.startsWith(server + "/")) {
                return false;
            }
        }
        // a file ends in an extension such as .js or .woff2; a version in a route (/releases/1.0.0) does not
        return !FILE.matcher(path.substring(path.lastIndexOf('/') + 1)).matches();
    }
}
