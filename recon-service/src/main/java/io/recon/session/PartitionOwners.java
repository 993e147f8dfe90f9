package io.recon.session;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The fence between instances: a session claims its partition (a new epoch) before it loads its checkpoint, and
 * each of its checkpoint transactions first locks the partition's row and checks that the claim is still its own.
 * Whoever claimed last owns the partition; a session whose claim was taken over is refused in the same transaction
 * that would have stored its findings, so nothing of it lands. The row lock orders the two: a claim waits for a
 * checkpoint in flight, and the new owner loads the checkpoint only after its claim.
 */
@Component
class PartitionOwners {

    /** A session's claim: who and which epoch. */
    record Claim(String task, int partition, String owner, long epoch) {
    }

    /** The claim was taken over by another owner since: this session must stop and store nothing more. */
    static final class FencedOut extends IllegalStateException {
        FencedOut(Claim claim, String owner, long epoch) {
            super("session " + claim.task() + "/" + claim.partition() + " of " + claim.owner() + " (claim " + claim.epoch()
                    + ") lost its partition to " + owner + " (claim " + epoch + "): it stores nothing more");
        }
    }

    private final JdbcTemplate jdbc;

    PartitionOwners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Claim claim(String task, int partition, String owner) {
        Long epoch = jdbc.queryForObject("""
                insert into partition_owner (task, partition_no, owner, epoch) values (?, ?, ?, 1)
                on conflict (task, partition_no) do update set owner = excluded.owner, epoch = partition_owner.epoch + 1,
                    claimed_at = now()
                returning epoch""", Long.class, task, partition, owner);
        return new Claim(task, partition, owner, epoch);
    }

    /** Inside the caller's transaction: locks the partition's row until it ends; throws {@link FencedOut} if taken over. */
    void checkHeld(Claim claim) {
        var current = jdbc.query("select owner, epoch from partition_owner where task = ? and partition_no = ? for update",
                (rs, n) -> new Claim(claim.task(), claim.partition(), rs.getString(1), rs.getLong(2)), claim.task(), claim.partition());
        if (current.isEmpty() || current.get(0).epoch() != claim.epoch()) {
            Claim now = current.isEmpty() ? new Claim(claim.task(), claim.partition(), "nobody", 0) : current.get(0);
            throw new FencedOut(claim, now.owner(), now.epoch());
        }
    }
}
