package io.recon.rules.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.recon.rules.Mismatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.type.FactType;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.time.SessionPseudoClock;

/**
 * Every released rules-kjar must load the way the service loads it: from the jar's bytes into
 * the in-memory KieRepository, without Maven (no kie-ci) at run time. A release that passes its
 * scenario tests in rules-kjar but cannot be loaded from the repository would take a task group
 * down on activation, so this runs over every version on every build.
 */
class ReleasedKjarsIT {

    private static final Path REPOSITORY = Path.of(System.getProperty("released.repository", "repository"));
    private static final Path KJAR_VERSIONS = REPOSITORY.resolve("io/recon/rules-kjar");

    static Stream<String> releasedVersions() throws IOException {
        if (!Files.isDirectory(KJAR_VERSIONS)) {
            return Stream.empty();
        }
        try (Stream<Path> dirs = Files.list(KJAR_VERSIONS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theVersionTheServiceRunsByDefaultIsReleased() throws IOException {
        String defaultVersion = System.getProperty("rules.service.version");
        assertThat(releasedVersions()).contains(defaultVersion);
        assertThat(Files.readString(KJAR_VERSIONS.resolve("maven-metadata.xml")))
                .contains("<version>" + defaultVersion + "</version>");
    }

    @ParameterizedTest(name = "rules-kjar {0}")
    @MethodSource("releasedVersions")
    void theReleasedJarIsIntactAndCarriesItsRules(String version) throws Exception {
        Path jar = jar(version);
        byte[] bytes = Files.readAllBytes(jar);

        // The checksum Maven wrote at release time: a jar edited after release no longer matches.
        String sha1 = Files.readString(jar.resolveSibling(jar.getFileName() + ".sha1")).trim();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes))).isEqualTo(sha1);
        // The published pom must stand alone: a concrete version, no parent to resolve.
        assertThat(Files.readString(jar.resolveSibling("rules-kjar-" + version + ".pom")))
                .contains("<version>" + version + "</version>")
                .doesNotContain("${", "<parent>");

        assertThat(entries(bytes)).contains(
                "META-INF/kmodule.xml",
                "recon/trade/types.drl",
                "recon/trade/payments.drl",
                "recon/trade/fulfilment.drl");
    }

    @ParameterizedTest(name = "rules-kjar {0}")
    @MethodSource("releasedVersions")
    void theReleasedJarLoadsFromBytesAndReportsAnUnpaidOrder(String version) throws Exception {
        KieServices ks = KieServices.get();
        ks.getRepository().addKieModule(ks.getResources().newByteArrayResource(Files.readAllBytes(jar(version))));
        ReleaseId releaseId = ks.newReleaseId("io.recon", "rules-kjar", version);

        KieContainer container = ks.newKieContainer(releaseId);
        assertThat(container.verify().getMessages(Message.Level.ERROR)).isEmpty();
        assertThat(container.getReleaseId().getVersion()).isEqualTo(version);
        KieBase trade = container.getKieBase("trade");

        // The smallest scenario that proves the rules run: an order nobody pays for.
        KieSessionConfiguration conf = ks.newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        KieSession session = trade.newKieSession(conf, null);
        try {
            SessionPseudoClock clock = session.getSessionClock();
            FactType orderType = trade.getFactType("recon.trade", "Order");
            Object order = orderType.newInstance();
            orderType.set(order, "orderId", "O-1");
            orderType.set(order, "amount", new BigDecimal("10.00"));
            orderType.set(order, "status", "CREATED");
            session.insert(order);
            session.fireAllRules();
            clock.advanceTime(31, TimeUnit.SECONDS);
            session.fireAllRules();

            assertThat(session.getObjects(o -> o instanceof Mismatch))
                    .singleElement()
                    .extracting(o -> ((Mismatch) o).getType())
                    .isEqualTo("MISSING");
        } finally {
            session.dispose();
            container.dispose();
        }
    }

    private static Path jar(String version) {
        return KJAR_VERSIONS.resolve(version).resolve("rules-kjar-" + version + ".jar");
    }

    private static List<String> entries(byte[] jar) {
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(jar))) {
            List<String> names = new java.util.ArrayList<>();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
