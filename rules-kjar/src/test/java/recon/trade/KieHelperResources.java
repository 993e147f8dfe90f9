package recon.trade;

import org.kie.api.KieServices;
import org.kie.api.io.Resource;

/** Classpath resources for tests that build a KieBase with KieHelper next to the kjar's own. */
final class KieHelperResources {

    private KieHelperResources() {
    }

    /** A classpath resource with its path kept, so compile errors name the file an analyst edits. */
    static Resource classpath(String path) {
        return classpath(path, path);
    }

    /**
     * A classpath resource compiled as if it were at {@code sourcePath}: an example kept outside
     * recon/trade/ but declaring package recon.trade, without Drools' folder/package warning.
     */
    static Resource classpath(String path, String sourcePath) {
        Resource resource = KieServices.get().getResources().newClassPathResource(path, KieHelperResources.class.getClassLoader());
        resource.setSourcePath(sourcePath);
        return resource;
    }
}
