package io.recon.catalog;

/** The active rules moved to another version: whatever read the fact types (the bindings' mappers) reads them again. */
public record RuleSetChanged(String from, String to) {
}
