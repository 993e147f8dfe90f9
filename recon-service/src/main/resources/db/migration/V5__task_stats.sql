-- Stats per task are read from the mismatch history (openings, heals, hand resolutions) and from
-- the facts each task checked, which the service counts in 5-minute buckets here.
create index mismatch_history_at_idx on mismatch_history (at);

create table task_checked (
    task         text        not null,
    bucket_start timestamptz not null,   -- start of a 5-minute bucket (UTC)
    checked      bigint      not null,
    primary key (task, bucket_start)
);
