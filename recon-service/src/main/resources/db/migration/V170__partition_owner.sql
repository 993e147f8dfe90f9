-- Who owns each session's partition, and since which claim (epoch). A session claims its partition before it loads
-- its checkpoint; every checkpoint transaction locks this row and checks that the claim is still its own, so an
-- instance that was paused and lost its partitions cannot store findings or a checkpoint after it wakes up.
create table partition_owner (
    task         text        not null,
    partition_no int         not null,
    owner        text        not null,
    epoch        bigint      not null,
    claimed_at   timestamptz not null default now(),
    primary key (task, partition_no)
);
