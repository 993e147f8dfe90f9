package io.recon.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that must not share the machine with another test: it kills or starves the service on purpose,
 * or drives a browser, and asserts on timings. The build runs these after the others, one at a time
 * (the surefire execution {@code alone-tests} in recon-service/pom.xml); every other test class runs in one
 * of two forks side by side.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("alone")
public @interface RunsAlone {
}
