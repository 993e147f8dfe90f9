package io.recon.mismatch;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a case handler can do to a mismatch, and from which statuses. Assigning and commenting keep
 * the status; resolving and ignoring close the case. A repair in flight (REPAIRING) may be resolved
 * by hand but not ignored: its outcome is still coming.
 */
enum CaseAction {
    ASSIGN(null, EnumSet.of(MismatchStatus.OPEN, MismatchStatus.CONFIRMED, MismatchStatus.REPAIRING, MismatchStatus.REPAIR_FAILED)),
    COMMENT(null, EnumSet.allOf(MismatchStatus.class)),
    RESOLVE(MismatchStatus.RESOLVED, EnumSet.of(MismatchStatus.OPEN, MismatchStatus.CONFIRMED, MismatchStatus.REPAIRING, MismatchStatus.REPAIR_FAILED)),
    IGNORE(MismatchStatus.IGNORED, EnumSet.of(MismatchStatus.OPEN, MismatchStatus.CONFIRMED, MismatchStatus.REPAIR_FAILED));

    /** The status the case moves to, or null when the action keeps it. */
    final MismatchStatus target;
    final Set<MismatchStatus> allowedFrom;

    CaseAction(MismatchStatus target, Set<MismatchStatus> allowedFrom) {
        this.target = target;
        this.allowedFrom = allowedFrom;
    }

    String verb() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CaseAction parse(String text) {
        return Arrays.stream(values()).filter(a -> a.verb().equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "unknown action '" + text + "'; use one of "
                        + Arrays.stream(values()).map(CaseAction::verb).toList()));
    }
}
