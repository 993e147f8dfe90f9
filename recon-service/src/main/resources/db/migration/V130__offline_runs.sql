-- Offline (T+1) runs: a task over a period of event time, on one rules version, apart from the live queue.
create table offline_run (
    id             bigserial primary key,
    task           text        not null,
    period_from    timestamptz not null,
    period_to      timestamptz not null,
    rules_version  text        not null,
    status         text        not null,   -- RUNNING, DONE, FAILED, CANCELLED
    requested_by   text        not null,
    requested_at   timestamptz not null default now(),
    finished_at    timestamptz,
    records_read   bigint      not null default 0,
    records_total  bigint,
    rejected       bigint      not null default 0,
    rejections     jsonb       not null default '[]',
    error          text,
    comparison     jsonb
);
create index offline_run_task_idx on offline_run (task, requested_at desc);

-- What a run found: at most one per key and type, like the live store, with the facts involved.
create table offline_finding (
    run_id                 bigint      not null references offline_run (id) on delete cascade,
    correlation_key        text        not null,
    type                   text        not null,
    severity               text        not null,
    rule_name              text,
    reason                 text        not null,
    snapshot               jsonb       not null,
    detected_at_event_time timestamptz not null,
    primary key (run_id, correlation_key, type)
);

-- The live mismatches of a period, for a run's comparison.
create index mismatch_task_detected_idx on mismatch (task, detected_at_event_time);
