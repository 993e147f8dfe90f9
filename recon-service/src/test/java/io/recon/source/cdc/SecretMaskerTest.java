package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private final SecretMasker masker = new SecretMasker(List.of("Db-S3cret", "Off-S3cret"));

    @Test
    void masksAConfigurationDumpLikeDebeziumPrintsIt() {
        String dump = "Unable to start task with config {database.user=recon, database.password=Db-S3cret,"
                + " offset.storage.jdbc.connection.password=Off-S3cret, name=orders}";
        assertThat(masker.mask(dump))
                .doesNotContain("Db-S3cret", "Off-S3cret")
                .contains("database.user=recon", "database.password=****", "name=orders");
    }

    @Test
    void masksPasswordsItWasNotToldAbout() {
        assertThat(masker.mask("jdbc:postgresql://h/db?user=a&password=unknown1&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
        assertThat(masker.mask("{\"password\": \"unknown2\"}")).doesNotContain("unknown2");
    }

    @Test
    void masksEveryMessageOfAnExceptionChainAndKeepsTheOriginalClassNames() {
        Exception original = new IllegalStateException("start failed: password=Db-S3cret",
                new RuntimeException("inner Off-S3cret"));
        original.addSuppressed(new IllegalArgumentException("suppressed Db-S3cret"));

        Throwable masked = masker.mask(original);
        StringWriter out = new StringWriter();
        masked.printStackTrace(new PrintWriter(out));

        assertThat(out.toString())
                .doesNotContain("Db-S3cret", "Off-S3cret")
                .contains("java.lang.IllegalStateException: start failed", "java.lang.RuntimeException: inner ****",
                        "java.lang.IllegalArgumentException: suppressed ****");
        assertThat(masked.getStackTrace()).isEqualTo(original.getStackTrace());
    }

    @Test
    void configToStringShowsNoPassword() {
        CdcSourceConfig cfg = new CdcSourceConfig("s", "h", 5432, "db", "u", "Db-S3cret", List.of("public.t"),
                "slot", "pub", null, "jdbc:postgresql://h/o?password=Off-S3cret", "u", "Off-S3cret");
        assertThat(cfg.toString()).doesNotContain("Db-S3cret", "Off-S3cret");
        assertThat(cfg.pollInterval().toMillis()).isEqualTo(50);
        assertThat(cfg.snapshot()).isEqualTo(CdcSourceConfig.Snapshot.INITIAL);
    }
}
