-- Statement files (CSV, XLSX) uploaded for offline runs: the bytes live in the work directory, the facts here.
create table offline_file (
    id          bigserial primary key,
    name        text        not null,
    kind        text        not null,   -- CSV, XLSX
    bytes       bigint      not null,
    sha256      text        not null,
    uploaded_by text        not null,
    uploaded_at timestamptz not null default now()
);

-- Per source, which column of a statement file fills which field of its fact type.
create table offline_file_mapping (
    source     text primary key,
    columns    jsonb       not null,
    updated_by text        not null,
    updated_at timestamptz not null default now()
);

-- A file's mapped rows while a run orders them by event time (a file is in no order; its rows are sorted here, not in memory).
create unlogged table offline_staged (
    run_id     bigint not null,
    source     text   not null,
    event_time bigint not null,
    seq        bigint not null,
    envelope   bytea  not null
);
create index offline_staged_order_idx on offline_staged (run_id, source, event_time, seq);

-- Which sources a run read from a statement file instead of their table or topic: source to file id.
alter table offline_run add column files jsonb not null default '{}';
