-- The release registry: every rules version the service knows, how it came to be, and what it changes.
create table rule_release (
    version          text primary key,
    task_groups      text not null,                 -- comma-separated KieBase names
    author           text not null,
    notes            text,
    created_at       timestamptz not null default now(),
    status           text not null check (status in ('DRAFT', 'RELEASED', 'ACTIVE', 'RETIRED')),
    origin           text not null check (origin in ('REPOSITORY', 'PUBLISHED')),
    previous_version text,
    diff             jsonb not null,                -- {"added": [...], "removed": [...], "changed": [...]} rule names
    kjar             bytea,                         -- published versions only; repository versions live in rules-repo
    kjar_sha256      text not null
);

-- Only one version is active at a time.
create unique index rule_release_one_active on rule_release ((status)) where status = 'ACTIVE';

-- Every activation attempt: who, when, from which version to which, and what happened.
create table rule_activation (
    id            bigserial primary key,
    from_version  text,
    to_version    text not null,
    requested_by  text not null,
    requested_at  timestamptz not null default now(),
    outcome       text not null check (outcome in ('ACTIVATED', 'REFUSED')),
    detail        text,
    pause_millis  bigint
);
