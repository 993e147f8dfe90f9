package io.recon.system.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Uploaded archives are checked before anything opens them: real workbooks and kjars pass, bombs of every kind are refused. */
class ZipGuardTest {

    @Test
    void aRealWorkbookAndTheReleasedKjarPass() throws IOException {
        ByteArrayOutputStream workbook = new ByteArrayOutputStream();
        try (XSSFWorkbook xlsx = new XSSFWorkbook()) {
            xlsx.createSheet("rules").createRow(0).createCell(0).setCellValue("RuleSet");
            xlsx.write(workbook);
        }
        assertThatCode(() -> ZipGuard.check(workbook.toByteArray(), "the workbook")).doesNotThrowAnyException();
        try (Stream<Path> jars = Files.walk(Path.of("../rules-repo/repository"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).forEach(jar ->
                    assertThatCode(() -> ZipGuard.check(Files.readAllBytes(jar), jar.toString())).doesNotThrowAnyException());
        }
    }

    @Test
    void anEntryThatInflatesAThousandTimesIsRefusedEarly() {
        byte[] bomb = zip("zeros.xml", new byte[16 * 1024 * 1024]);   // 16 MiB of zeros in ~16 KiB

        assertThatThrownBy(() -> ZipGuard.check(bomb, "the workbook"))
                .isInstanceOf(ZipGuard.Refused.class)
                .hasMessage("the workbook inflates more than 100 times its size (at zeros.xml), which Recon refuses as a possible zip bomb;"
                        + " upload the file as it was saved, without archives inside it.");
    }

    @Test
    void tooMuchInflatedDataIsRefusedEvenWhenItDoesNotCompress() {
        byte[] noise = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        ZipGuard.Limits small = new ZipGuard.Limits(10_000, 1024 * 1024, 100, 1024 * 1024, 2);

        assertThatThrownBy(() -> ZipGuard.check(zip("noise.bin", noise), "The kjar of the export", small))
                .hasMessageStartingWith("The kjar of the export inflates to more than 1 MiB");
    }

    @Test
    void tooManyEntriesAreRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i <= 10_000; i++) {
                zip.putNextEntry(new ZipEntry("e" + i));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        assertThatThrownBy(() -> ZipGuard.check(out.toByteArray(), "the workbook")).hasMessageContaining("holds more than 10000 files");
    }

    @Test
    void archivesNestedDeeperThanTwoAreRefused() {
        byte[] inner = zip("a.txt", "rule".getBytes());
        byte[] twoDeep = zip("inner.zip", inner);

        assertThatCode(() -> ZipGuard.check(twoDeep, "the workbook")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ZipGuard.check(zip("middle.zip", twoDeep), "the workbook"))
                .hasMessageContaining("nests archives more than 2 deep (inner.zip)");
    }

    @Test
    void aDamagedArchiveIsRefusedAndAnOldBinaryWorkbookIsLeftToItsReader() {
        byte[] damaged = {'P', 'K', 3, 4, 20, 0, 8, 8, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9, 5, 0, 0, 0, 'a', 'b'};
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

        assertThatThrownBy(() -> ZipGuard.check(damaged, "the workbook")).isInstanceOf(ZipGuard.Refused.class)
                .hasMessageContaining("the workbook");
        assertThatCode(() -> ZipGuard.checked(xls, "the workbook")).doesNotThrowAnyException();
    }

    private static byte[] zip(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
