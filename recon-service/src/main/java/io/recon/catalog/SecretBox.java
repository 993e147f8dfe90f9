package io.recon.catalog;

import io.recon.system.InfrastructureProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts the catalog's database passwords (AES-GCM, JDK crypto) with the key of {@code RECON_CATALOG_KEY}
 * (base64, 16, 24 or 32 bytes). On the embedded default without that variable a key is generated once into the
 * work directory (file {@code catalog.key}, owner-only), so the demo needs no setup; elsewhere a password is
 * refused until the key is set (or the password is given as {@code passwordEnv}).
 */
@Component
class SecretBox {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    SecretBox(@Value("${recon.catalog.key:}") String configured, InfrastructureProperties infrastructure) {
        this.key = key(configured, infrastructure);
    }

    private static SecretKeySpec key(String configured, InfrastructureProperties infrastructure) {
        if (configured != null && !configured.isBlank()) {
            return spec(configured.trim(), "RECON_CATALOG_KEY");
        }
        if (infrastructure.datasource().external()) {
            return null;
        }
        Path file = infrastructure.workPath().resolve("catalog.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                writeOwnerOnly(file, Base64.getEncoder().encodeToString(fresh));
            }
            return spec(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read or create the catalog key " + file + ": " + e.getMessage()
                    + "; set RECON_CATALOG_KEY to a base64 AES key instead", e);
        }
    }

    /**
     * Creates the key file readable by its owner only from its first byte on (no window in which the default
     * umask applies), and writes the key into it; a file that appeared meanwhile is kept as it is.
     */
    private static void writeOwnerOnly(Path file, String key) throws java.io.IOException {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: the work directory's own protection has to do
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return; // another start created it first: use that one
        }
        Files.writeString(file, key, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static SecretKeySpec spec(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the catalog key in " + where + " is not base64; give 32 random bytes in base64,"
                    + " e.g. the output of: head -c 32 /dev/urandom | base64");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalStateException("the catalog key in " + where + " has " + bytes.length + " bytes; AES needs 16, 24 or 32"
                    + " (e.g. head -c 32 /dev/urandom | base64)");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    String encrypt(String plain, String database) {
        if (key == null) {
            throw CatalogRefusal.invalid("Database " + database + ": a password can only be stored encrypted, and no key is set;"
                    + " set RECON_CATALOG_KEY (base64 of 32 random bytes) and restart, or give the password as passwordEnv", "password");
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(database.getBytes(StandardCharsets.UTF_8)); // a password cannot be moved to another database's row
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the password of database " + database + ": " + e.getClass().getSimpleName());
        }
    }

    String decrypt(String stored, String database) {
        if (key == null) {
            throw new IllegalStateException("the password of database " + database + " is stored encrypted but no key is set:"
                    + " set RECON_CATALOG_KEY to the key it was stored with");
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            cipher.updateAAD(database.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored password of database " + database + " cannot be decrypted with the key set"
                    + " (RECON_CATALOG_KEY changed?); write it again with PUT /api/databases/" + database);
        }
    }
}
