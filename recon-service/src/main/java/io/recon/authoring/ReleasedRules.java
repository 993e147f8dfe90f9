package io.recon.authoring;

import java.util.Map;
import org.kie.api.runtime.KieContainer;

/**
 * Released versions as mock tests read them: the release feature (which depends on authoring to build and check
 * its kjars) provides them, so authoring does not depend back on it.
 */
public interface ReleasedRules {

    /**
     * A shared, read-only container of a released version.
     *
     * @throws UnknownVersionException  for a version the registry does not hold
     * @throws RefusedVersionException  for one that does not compile or is refused by the sandbox check
     */
    KieContainer container(String version);

    /** The version's DRL and DSLR texts by file name, for a rule problem's line. */
    Map<String, String> ruleTexts(String version);
}
