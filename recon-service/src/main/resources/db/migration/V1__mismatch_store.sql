-- A mismatch is one finding: (task, correlation key, type). Rules may fire for it many times and
-- replays may repeat it; it is stored once.
create table mismatch (
    id              bigserial primary key,
    task            text        not null,
    correlation_key text        not null,
    type            text        not null,
    status          text        not null,
    severity        text        not null,
    rule_name       text,
    rules_version   text,
    reason          text        not null,
    snapshot        jsonb       not null default '[]',
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    detected_at_event_time timestamptz,
    resolved_at     timestamptz,
    constraint mismatch_identity unique (task, correlation_key, type)
);
create index mismatch_status_idx on mismatch (status, first_seen desc);
create index mismatch_task_idx on mismatch (task, type, first_seen desc);

-- Append-only: every status change, by whom (a user, or 'rules' for the sessions), when and why.
create table mismatch_history (
    id          bigserial primary key,
    mismatch_id bigint      not null references mismatch (id),
    from_status text,
    to_status   text        not null,
    actor       text        not null,
    note        text,
    at          timestamptz not null default now()
);
create index mismatch_history_mismatch_idx on mismatch_history (mismatch_id, at);

-- Input that could not become a fact, kept whole with the reason so that nothing is lost.
create table dead_letter (
    id          bigserial primary key,
    source      text        not null,
    reason      text        not null,
    payload     text,
    received_at timestamptz not null default now()
);
create index dead_letter_received_idx on dead_letter (received_at desc);

-- Where each session stands in its facts partition; written with the mismatches it produced.
create table session_checkpoint (
    task          text        not null,
    partition_no  int         not null,
    next_offset   bigint      not null,
    replay_from   bigint      not null,
    clock_millis  bigint      not null,
    rules_version text,
    updated_at    timestamptz not null default now(),
    primary key (task, partition_no)
);
