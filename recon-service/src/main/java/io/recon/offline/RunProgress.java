package io.recon.offline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What a running run has done so far; read by the API while the run's thread writes it. */
final class RunProgress {

    /** Rejected records kept with their reason, at most this many (the count goes on). */
    static final int KEPT_REJECTIONS = 100;

    final AtomicLong read = new AtomicLong();
    final AtomicLong rejectedCount = new AtomicLong();
    final List<String> rejected = Collections.synchronizedList(new ArrayList<>());
    volatile long total = -1;
    volatile boolean cancelled;

    void reject(String source, String where, String reason) {
        rejectedCount.incrementAndGet();
        if (rejected.size() < KEPT_REJECTIONS) {
            rejected.add(source + " " + where + ": " + reason);
        }
    }
}
