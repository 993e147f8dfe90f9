package io.recon.session;

import java.util.ArrayDeque;

/**
 * Watermark records a session may later replay from. Replaying from a watermark record restores the
 * clock exactly, and replaying from one older than the longest fact life rebuilds every live fact and
 * pending timer. Marks are kept sparse (one per {@code spacing} of event time) and pruned as the clock moves.
 */
final class ReplayMarks {

    private record Mark(long offset, long time) {
    }

    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private final long spacing;
    private final long runStart;

    /** @param runStart where this run began reading; the answer while no mark is old enough */
    ReplayMarks(long spacingMillis, long runStart) {
        this.spacing = spacingMillis;
        this.runStart = runStart;
    }

    void watermarkAt(long offset, long time) {
        Mark last = marks.peekLast();
        if (last == null || time - last.time() >= spacing) {
            marks.addLast(new Mark(offset, time));
        }
    }

    /** The latest mark at or before {@code threshold}, else where this run started. */
    long replayFrom(long threshold) {
        while (marks.size() >= 2 && secondTime() <= threshold) {
            marks.pollFirst();
        }
        Mark first = marks.peekFirst();
        return first != null && first.time() <= threshold ? first.offset() : runStart;
    }

    private long secondTime() {
        var it = marks.iterator();
        it.next();
        return it.next().time();
    }
}
