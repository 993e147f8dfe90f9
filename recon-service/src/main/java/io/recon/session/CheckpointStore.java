package io.recon.session;

import io.recon.mismatch.MismatchChange;
import io.recon.mismatch.MismatchWriter;
import io.recon.stats.CheckedFacts;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Session checkpoints, written in the same transaction as the mismatches a batch produced: after a
 * crash, a session resumes exactly after the last batch whose effects were stored.
 */
@Component
class CheckpointStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final MismatchWriter mismatches;
    private final CheckedFacts checked;
    private final PartitionOwners owners;

    CheckpointStore(JdbcTemplate jdbc, TransactionTemplate tx, MismatchWriter mismatches, CheckedFacts checked, PartitionOwners owners) {
        this.owners = owners;
        this.jdbc = jdbc;
        this.tx = tx;
        this.mismatches = mismatches;
        this.checked = checked;
    }

    Optional<Checkpoint> load(String task, int partition) {
        return jdbc.query("select next_offset, replay_from, clock_millis, rules_version from session_checkpoint where task = ? and partition_no = ?",
                (rs, n) -> new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)), task, partition)
                .stream().findFirst();
    }

    /** Per partition of a task group, its last checkpoint, whichever instance stored it. */
    java.util.Map<Integer, Checkpoint> committed(String task) {
        java.util.Map<Integer, Checkpoint> committed = new java.util.TreeMap<>();
        jdbc.query("select partition_no, next_offset, replay_from, clock_millis, rules_version from session_checkpoint where task = ?",
                rs -> {
                    committed.put(rs.getInt(1), new Checkpoint(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
                }, task);
        return committed;
    }

    /** Claims the partition for {@code owner}: from now on only this claim's checkpoints are stored. */
    PartitionOwners.Claim claim(String task, int partition, String owner) {
        return owners.claim(task, partition, owner);
    }

    /**
     * @param claim        the session's claim on its partition: refused ({@link PartitionOwners.FencedOut}), with nothing
     *                     stored, when another owner has claimed it since
     * @param factsChecked live facts the session saw since its previous checkpoint, counted in the statistics here
     * @return the changes that opened a mismatch
     */
    List<MismatchChange> commit(PartitionOwners.Claim claim, List<MismatchChange> changes, Checkpoint checkpoint, long factsChecked) {
        String task = claim.task();
        int partition = claim.partition();
        return tx.execute(status -> {
            owners.checkHeld(claim);
            List<MismatchChange> opened = mismatches.apply(task, partition, checkpoint.rulesVersion(), changes);
            checked.add(task, factsChecked);
            jdbc.update("""
                    insert into session_checkpoint (task, partition_no, next_offset, replay_from, clock_millis, rules_version, updated_at)
                    values (?, ?, ?, ?, ?, ?, now())
                    on conflict (task, partition_no) do update set next_offset = excluded.next_offset,
                        replay_from = excluded.replay_from, clock_millis = excluded.clock_millis,
                        rules_version = excluded.rules_version, updated_at = now()""",
                    task, partition, checkpoint.nextOffset(), checkpoint.replayFrom(), checkpoint.clock(), checkpoint.rulesVersion());
            return opened;
        });
    }
}
