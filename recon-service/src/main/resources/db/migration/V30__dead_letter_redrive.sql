-- Dead letters keep what is needed to send them through mapping again (POST /api/dead-letters/{id}/retry):
-- the payload as received (base64 when it is not storable as text: invalid UTF-8 or NUL characters),
-- whether it had to be truncated, what kind of change it was and when the source committed it.
alter table dead_letter
    add column payload_encoding  text    not null default 'text',   -- text | base64
    add column payload_bytes     bigint,                             -- size as received, before any truncation
    add column payload_truncated boolean not null default false,
    add column change_kind       text    not null default 'UPSERT', -- UPSERT | DELETE | MESSAGE (a whole message) | NOTICE (nothing to map)
    add column committed_at      bigint,                             -- source commit time (epoch ms): the fallback event time
    add column status            text    not null default 'NEW',     -- NEW | REDRIVEN
    add column attempts          int     not null default 0,
    add column last_retry_at     timestamptz,
    add column redriven_at       timestamptz;
create index dead_letter_source_idx on dead_letter (source, id desc);
create index dead_letter_status_idx on dead_letter (status, id desc);
