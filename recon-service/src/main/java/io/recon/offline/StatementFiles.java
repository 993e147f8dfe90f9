package io.recon.offline;

import io.recon.system.InfrastructureProperties;
import io.recon.system.security.ZipGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Statement files uploaded for offline runs (a bank statement, a channel's settlement file): kept under the work
 * directory ({@code offline-files/<id>}), listed in {@code offline_file}. An XLSX file is checked against zip bombs
 * before anything opens it.
 */
@Component
class StatementFiles {

    /** An XLSX larger than this is refused before the zip check reads it whole: such files go as CSV. */
    static final long MAX_XLSX_BYTES = 64L * 1024 * 1024;

    enum Kind { CSV, XLSX }

    record StatementFile(long id, String name, Kind kind, long bytes, String sha256, String uploadedBy, Instant uploadedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Path dir;

    StatementFiles(JdbcTemplate jdbc, InfrastructureProperties infrastructure) {
        this.jdbc = jdbc;
        this.dir = infrastructure.workPath().resolve("offline-files");
    }

    StatementFile save(String name, InputStream body, String by) throws IOException {
        Kind kind = kindOf(name);
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "upload-", ".part");
        try {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long bytes;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                bytes = body.transferTo(out);
            }
            if (bytes == 0) {
                throw new RunRefusal("The file " + name + " is empty");
            }
            if (kind == Kind.XLSX) {
                if (bytes > MAX_XLSX_BYTES) {
                    throw new RunRefusal("The workbook " + name + " has " + bytes / (1024 * 1024) + " MiB; Recon reads workbooks up to "
                            + MAX_XLSX_BYTES / (1024 * 1024) + " MiB: save the sheet as CSV instead");
                }
                try {
                    ZipGuard.check(Files.readAllBytes(temp), "The workbook " + name);
                } catch (ZipGuard.Refused e) {
                    throw new RunRefusal(e.getMessage());
                }
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            long id = jdbc.queryForObject("insert into offline_file (name, kind, bytes, sha256, uploaded_by) values (?, ?, ?, ?, ?) returning id",
                    Long.class, name, kind.name(), bytes, digest, by);
            Files.move(temp, path(id), StandardCopyOption.ATOMIC_MOVE);
            return find(id).orElseThrow();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    Optional<StatementFile> find(long id) {
        return jdbc.query("select * from offline_file where id = ?", (rs, n) -> row(rs), id).stream().findFirst();
    }

    List<StatementFile> list() {
        return jdbc.query("select * from offline_file order by id desc limit 200", (rs, n) -> row(rs));
    }

    private static StatementFile row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StatementFile(rs.getLong("id"), rs.getString("name"), Kind.valueOf(rs.getString("kind")), rs.getLong("bytes"),
                rs.getString("sha256"), rs.getString("uploaded_by"), rs.getTimestamp("uploaded_at").toInstant());
    }

    Path path(long id) {
        return dir.resolve(Long.toString(id));
    }

    private static Kind kindOf(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return Kind.CSV;
        }
        if (lower.endsWith(".xlsx")) {
            return Kind.XLSX;
        }
        throw new RunRefusal("The file '" + name + "' is neither .csv nor .xlsx: name the upload after its format (?name=statement.csv)");
    }
}
