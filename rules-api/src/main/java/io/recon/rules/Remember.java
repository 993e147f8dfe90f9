package io.recon.rules;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a declared fact type whose earlier values the service keeps as {@link WasOnce} facts:
 * {@code status : String @Remember} in a {@code declare} (with {@code import io.recon.rules.Remember}). A Java
 * annotation rather than free DRL metadata, because the executable model keeps only annotations it can resolve.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Remember {
}
