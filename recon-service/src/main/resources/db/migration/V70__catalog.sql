-- The catalog of what Recon reconciles: captured databases, source bindings and task groups, as data that
-- changes through the API and applies live. application.yml only seeds it: catalog_seeded remembers which
-- YAML entries were taken once, so a later YAML edit does not overwrite an API edit, and an entry deleted
-- through the API does not come back at the next start.
create table catalog_database (
    name         text primary key,
    body         jsonb       not null,      -- everything but the password
    password_enc text,                      -- AES-GCM with the key of RECON_CATALOG_KEY; never returned
    updated_at   timestamptz not null default now()
);
create table catalog_source (
    name       text primary key,
    body       jsonb       not null,
    updated_at timestamptz not null default now()
);
create table catalog_task (
    task       text primary key,
    body       jsonb       not null,
    updated_at timestamptz not null default now()
);
create table catalog_seeded (
    kind text not null,
    name text not null,
    primary key (kind, name)
);
-- Every write: who, when, before and after (passwords never, not even encrypted).
create table catalog_change (
    id       bigserial primary key,
    at       timestamptz not null default now(),
    username text        not null,
    kind     text        not null,
    name     text        not null,
    action   text        not null,
    before   jsonb,
    after    jsonb
);
create index catalog_change_at_idx on catalog_change (id desc);
