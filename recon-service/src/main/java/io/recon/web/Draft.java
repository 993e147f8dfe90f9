package io.recon.web;

import java.time.Instant;
import java.util.List;

/**
 * A rule set being written in the workbench.
 *
 * @param baseVersion the rules version it started from (for the diff and the shadow run)
 * @param files       DRL, DSL, DSLR, CSV as text; XLSX in base64; scenario files
 * @param author      who saved it last (the signed-in user; whatever a client sends is ignored)
 */
record Draft(String name, String task, String baseVersion, List<File> files, Instant updatedAt, String author) {

    record File(String name, String content) {
    }
}
