-- Case workflow: who works a mismatch (a user or a group), and the notes people leave on it.
alter table mismatch add column assignee      text;
alter table mismatch add column assignee_kind text;   -- USER or GROUP
create index mismatch_assignee_idx on mismatch (assignee) where assignee is not null;

-- Case notes stay with the mismatch for its whole life, reopenings included. Append-only.
create table case_note (
    id          bigserial primary key,
    mismatch_id bigint      not null references mismatch (id),
    author      text        not null,
    body        text        not null,
    at          timestamptz not null default now()
);
create index case_note_mismatch_idx on case_note (mismatch_id, at);
