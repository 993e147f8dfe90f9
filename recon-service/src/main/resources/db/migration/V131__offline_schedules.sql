-- Scheduled offline runs: per task, a cron in a time zone; each firing runs the business day before it.
create table offline_schedule (
    task        text primary key,
    cron        text        not null,
    zone        text        not null,
    enabled     boolean     not null default true,
    last_fired  timestamptz not null,   -- the firing last acted on: a restart neither repeats nor skips one
    updated_by  text        not null,
    updated_at  timestamptz not null default now()
);
