package io.recon.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recon.system.InfrastructureProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path work;

    private InfrastructureProperties embedded() {
        return new InfrastructureProperties(work.toString(), new InfrastructureProperties.Datasource(null, null, null),
                new InfrastructureProperties.Kafka(null), new InfrastructureProperties.Embedded(0, 0));
    }

    @Test
    void theGeneratedKeyIsReadableByItsOwnerOnlyAndSurvivesARestart() throws Exception {
        SecretBox first = new SecretBox("", embedded());
        String sealed = first.encrypt("s3cret-pw", "shop");

        Path key = work.resolve("catalog.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(sealed).doesNotContain("s3cret-pw");
        assertThat(new SecretBox("", embedded()).decrypt(sealed, "shop")).isEqualTo("s3cret-pw");
    }

    @Test
    void aPasswordSealedForOneDatabaseDoesNotOpenForAnother() {
        SecretBox box = new SecretBox("", embedded());
        String sealed = box.encrypt("s3cret-pw", "shop");
        assertThatThrownBy(() -> box.decrypt(sealed, "pay")).isInstanceOf(RuntimeException.class);
    }
}
