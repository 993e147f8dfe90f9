-- Ground truth of the demo traffic generator: every fault it injected, in the mismatch vocabulary.
create table demo_fault (
    id             bigserial primary key,
    correlation_key text       not null,
    type           text        not null,
    injected_at    timestamptz not null default now()
);
create index demo_fault_key_idx on demo_fault (correlation_key);
