package io.recon.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Settings every integration test shares: a fresh work directory the postgres user can reach, the released rules, no demo traffic. */
public final class ReconTestSupport {

    private ReconTestSupport() {
    }

    public static Path newWorkDir(String name) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "recon-" + name + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] properties(Path workDir) {
        return new String[] {
                "recon.work-dir=" + workDir,
                "recon.rules.repository=../rules-repo/repository",
                "recon.demo.traffic=false",
                "server.port=0",
        };
    }
}
