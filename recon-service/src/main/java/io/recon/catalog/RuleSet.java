package io.recon.catalog;

import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

/**
 * The rules version the sessions run, as every feature reads it: the fact types bindings fill, the task groups'
 * KieBases, a container for a new session. The release feature owns which version that is and changes it by
 * activation; features below it read it through this, so the dependency runs one way.
 */
public interface RuleSet {

    /** The active version, e.g. {@code 1.0.0}. */
    String version();

    /** The KieBase of a task group in the active version (read-only use: bindings, mock tests). */
    KieBase kieBase(String task);

    /** The version one session runs: the active one, or a canary's on the partitions the canary covers. */
    String version(String task, int partition);

    /** A container of the version one session runs (see {@link #version(String, int)}), which it owns and may update in place. */
    KieContainer newSessionContainer(String task, int partition);
}
