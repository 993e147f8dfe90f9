-- The action outbox: what Recon must send, written in the same transaction as the mismatch that
-- caused it. The idempotency key is unique: a replay or a retried transaction cannot add a second
-- action for the same detection, and receivers see the key on every request to drop re-deliveries.
create table action (
    id              bigserial primary key,
    idempotency_key text        not null unique,
    kind            text        not null,              -- ALERT (one mismatch), SUMMARY (throttled), DIGEST (low severities)
    task            text        not null,
    mismatch_id     bigint references mismatch (id),   -- null for summaries and digests
    channel         text        not null,              -- a name under recon.alerts.channels
    severity        text        not null,
    payload         jsonb       not null,              -- what to say; each channel formats it
    folded          int         not null default 0,    -- repeats of the same mismatch folded into this alert
    status          text        not null default 'PENDING',  -- PENDING, DONE, FAILED
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    created_at      timestamptz not null default clock_timestamp(),  -- the insert itself, inside the committing transaction
    done_at         timestamptz,
    last_error      text
);
create index action_due_idx on action (next_attempt_at) where status = 'PENDING';
create index action_mismatch_idx on action (mismatch_id, created_at);

-- Every delivery attempt, successful or not, with what the receiver said.
create table action_attempt (
    id          bigserial primary key,
    action_id   bigint      not null references action (id),
    at          timestamptz not null default now(),
    ok          boolean     not null,
    detail      text,
    duration_ms int         not null
);
create index action_attempt_action_idx on action_attempt (action_id, at);

-- Alerts sent per task and throttle window; the row lock makes the count exact across sessions.
create table alert_window (
    task         text        not null,
    window_start timestamptz not null,
    sent         int         not null,
    primary key (task, window_start)
);

-- Mismatches that did not get an alert of their own: over the task's throttle, or of a digest
-- severity. Each is counted in exactly one summary or digest (summary_key).
create table alert_held (
    id              bigserial primary key,
    task            text        not null,
    held_for        text        not null,   -- THROTTLED or DIGEST
    mismatch_id     bigint      not null references mismatch (id),
    correlation_key text        not null,
    type            text        not null,
    severity        text        not null,
    held_at         timestamptz not null default now(),
    summary_key     text
);
create index alert_held_pending_idx on alert_held (task, held_for, id) where summary_key is null;
