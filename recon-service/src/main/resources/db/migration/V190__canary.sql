-- Which session found a mismatch (its facts partition): a canary compares the partitions on the candidate version
-- with those on the active one.
alter table mismatch add column partition_no int;

-- A rules version running on some partitions of one task group before it is rolled out or back (one at a time).
-- start_offsets: where each partition of the task group stood when the canary began, to count what it read since.
create table release_canary (
    task          text        primary key,
    version       text        not null,
    partitions    text        not null,
    start_offsets jsonb       not null,
    started_by    text        not null,
    started_at    timestamptz not null default now()
);

-- The activation log also records canaries started and ended.
alter table rule_activation drop constraint rule_activation_outcome_check;
alter table rule_activation add constraint rule_activation_outcome_check
    check (outcome in ('ACTIVATED', 'REFUSED', 'CANARY', 'CANARY_ENDED'));
