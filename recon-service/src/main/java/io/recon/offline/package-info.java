/**
 * Offline (T+1) runs: a task's sources read over a period with one consistent snapshot, fed in event-time order
 * through a rules version on a fresh session with the live sessions' semantics, every window closed at the end;
 * the findings stored under the run's id, apart from the live queue, and compared with the live mismatches of the
 * same period (the oracle that notices a record the real-time path lost). A task's analyst-written SQL check is a
 * second, independent witness: the same records staged as temporary tables in Recon's database, the vetted query run
 * read-only over them, its rows compared alike.
 */
package io.recon.offline;
