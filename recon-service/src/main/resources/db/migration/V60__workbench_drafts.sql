-- Workbench drafts: an analyst's rule files saved on the server, so work survives a closed browser.
-- One row per draft name; saving again replaces the files (last save wins) and records who saved.
create table workbench_draft (
    name         text primary key,
    task         text,
    base_version text,                       -- the rules version the draft started from
    files        jsonb       not null,       -- [{"name": "recon/trade/payments.drl", "content": "..."}], xlsx in base64
    author       text        not null,
    updated_at   timestamptz not null default now()
);
create index workbench_draft_updated_idx on workbench_draft (updated_at desc);
