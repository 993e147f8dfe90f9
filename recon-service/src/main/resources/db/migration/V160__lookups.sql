-- Lookups (反查) as catalog entries, like sources: one JSON body each.
create table catalog_lookup (
    name       text primary key,
    body       jsonb       not null,
    updated_at timestamptz not null default now()
);
-- Lookups due or in retry. A row is written when the trigger fact is read from the facts topic (before the
-- reader's offset moves past it), so a lookup due while the service was down is made after the restart; a row
-- is done once its answer fact is on the facts topic. The unique key makes a re-read trigger one lookup.
create table lookup_pending (
    id          bigserial primary key,
    lookup_name text        not null,
    task        text        not null,
    fact_type   text        not null,
    fact_id     text        not null,
    fact_key    text        not null,
    event_time  bigint      not null,                     -- the trigger's
    answer_time bigint      not null,                     -- the answer's: the trigger's plus the delay
    fields      jsonb       not null,
    due_at      timestamptz not null,
    attempts    int         not null default 0,
    status      text        not null default 'PENDING',  -- PENDING, DONE
    found       boolean,
    last_error  text,
    created_at  timestamptz not null default now(),
    done_at     timestamptz,
    unique (lookup_name, fact_id, event_time)
);
create index lookup_pending_due_idx on lookup_pending (due_at) where status = 'PENDING';
