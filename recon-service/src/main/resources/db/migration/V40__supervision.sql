-- Rules quarantined by their circuit breaker: a rule that threw or hit the firing cap too often in a
-- task group stops running there until a releaser lifts the quarantine. Kept here so that a restart
-- does not let the rule run again.
create table rule_quarantine (
    task           text        not null,
    rule           text        not null,
    quarantined_at timestamptz not null default now(),
    reason         text        not null,   -- the last fault in words, with the record's key
    primary key (task, rule)
);

-- Every rule fault a live session skipped: the rule, the record (its key) and the cause.
create table rule_fault (
    id           bigserial primary key,
    task         text        not null,
    partition_no int         not null,
    rule         text        not null,
    record       text        not null,
    cause        text        not null,
    capped       boolean     not null,
    at           timestamptz not null default now()
);
create index rule_fault_rule_idx on rule_fault (task, rule, at);

-- Operations incidents (a session stopped, a rule quarantined): at most one open per subject, so that
-- a restart or a crash that sees the same trouble again raises no second alert, and the recovery
-- alert goes out once, when the open incident closes.
create table ops_incident (
    id         bigserial primary key,
    subject    text        not null,      -- e.g. 'session trade/0', 'rule trade/An order is paid'
    task       text        not null,
    opened_at  timestamptz not null default now(),
    reason     text        not null,
    closed_at  timestamptz,
    closed_why text
);
create unique index ops_incident_open_idx on ops_incident (subject) where closed_at is null;
