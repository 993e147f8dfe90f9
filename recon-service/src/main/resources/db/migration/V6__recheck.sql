-- Second checks waiting or done: one per mismatch opening. The outcome and its evidence also go to
-- the mismatch's history.
create table recheck (
    mismatch_id bigint      primary key references mismatch (id),
    check_name  text        not null,
    status      text        not null default 'PENDING',   -- PENDING, DONE
    due_at      timestamptz not null,
    attempts    int         not null default 0,
    outcome     text,                                      -- CONFIRMED, AUTO_RESOLVED, SKIPPED (already changed by someone else)
    evidence    text,
    last_error  text,
    updated_at  timestamptz not null default now()
);
create index recheck_due_idx on recheck (due_at) where status = 'PENDING';
