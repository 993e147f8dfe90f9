package io.recon.system.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an uploaded archive (an XLSX decision table, a kjar) before anything opens it: a small upload
 * that inflates to gigabytes, or holds millions of entries, or archives inside archives, would take the
 * service's memory or time. Sizes are counted while inflating, never taken from the entry headers.
 */
public final class ZipGuard {

    /**
     * @param entries    files in the archive and the archives inside it
     * @param totalBytes all of them inflated
     * @param ratio      inflated size per compressed byte; rules and workbooks compress 5-20 times, a bomb 1000 times and more
     * @param graceBytes small archives may compress well by chance: the ratio counts beyond this size only
     * @param depth      an archive may hold archives this deep (a workbook inside a workbook), not deeper
     */
    record Limits(int entries, long totalBytes, long ratio, long graceBytes, int depth) {
    }

    static final Limits LIMITS = new Limits(10_000, 256L * 1024 * 1024, 100, 1024 * 1024, 2);

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /** Why an archive is refused, in words for whoever uploaded it. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private ZipGuard() {
    }

    /** @return the same bytes, once checked when they are a zip archive (an old .xls is not, and passes) */
    public static byte[] checked(byte[] bytes, String what) {
        if (startsWith(bytes, ZIP_MAGIC)) {
            check(bytes, what);
        }
        return bytes;
    }

    /** @throws Refused naming the upload and the limit it broke */
    public static void check(byte[] zip, String what) {
        check(zip, what, LIMITS);
    }

    static void check(byte[] zip, String what, Limits limits) {
        try {
            new Walk(what, limits).archive(zip, 1);
        } catch (IOException e) {
            throw new Refused(what + " is not a readable zip archive (" + e.getMessage() + "); upload the file as it was saved.");
        }
    }

    /** One pass over the archive and the archives inside it, with shared counts of files and inflated bytes. */
    private static final class Walk {
        private final String what;
        private final Limits limits;
        private int entries;
        private long total;

        Walk(String what, Limits limits) {
            this.what = what;
            this.limits = limits;
        }

        void archive(byte[] zip, int depth) throws IOException {
            CountingInput compressed = new CountingInput(new ByteArrayInputStream(zip));
            long inflatedHere = 0;
            try (ZipInputStream in = new ZipInputStream(compressed)) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    if (++entries > limits.entries()) {
                        throw refused("holds more than " + limits.entries() + " files");
                    }
                    ByteArrayOutputStream nested = null;
                    byte[] buffer = new byte[8192];
                    int n;
                    boolean first = true;
                    while ((n = in.read(buffer)) > 0) {
                        if (first && n >= ZIP_MAGIC.length && startsWith(buffer, ZIP_MAGIC)) {
                            if (depth >= limits.depth()) {
                                throw refused("nests archives more than " + limits.depth() + " deep (" + entry.getName() + ")");
                            }
                            nested = new ByteArrayOutputStream();
                        }
                        first = false;
                        if (nested != null) {
                            nested.write(buffer, 0, n);
                        }
                        total += n;
                        inflatedHere += n;
                        if (total > limits.totalBytes()) {
                            throw refused("inflates to more than " + BodySizeLimit.human(limits.totalBytes()));
                        }
                        if (inflatedHere > limits.graceBytes() && inflatedHere / Math.max(1, compressed.count) > limits.ratio()) {
                            throw refused("inflates more than " + limits.ratio() + " times its size (at " + entry.getName() + ")");
                        }
                    }
                    if (nested != null) {
                        archive(nested.toByteArray(), depth + 1);
                    }
                }
            }
        }

        private Refused refused(String why) {
            return new Refused(what + " " + why + ", which Recon refuses as a possible zip bomb; upload the file as it was saved, "
                    + "without archives inside it.");
        }
    }

    /** Counts the compressed bytes the inflater has consumed so far. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes == null || bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
