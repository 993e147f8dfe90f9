-- Per task, an analyst-written SQL check: a SELECT over the task's sources (staged per run as temporary tables)
-- whose rows are mismatches; compared with the live mismatches of the period like a rules run's findings.
create table offline_sql_check (
    task        text primary key,
    sql         text        not null,
    types       jsonb       not null default '[]',   -- the mismatch types it covers; empty: all
    updated_by  text        not null,
    updated_at  timestamptz not null default now()
);

-- A run is either of the rules (RULES) or of the task's SQL check (SQL); both keep findings and a comparison.
alter table offline_run add column kind text not null default 'RULES';
