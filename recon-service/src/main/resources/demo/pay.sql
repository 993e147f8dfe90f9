-- The payment service's ledger of payment attempts.
create table if not exists payments (
    payment_id text primary key,
    order_id   text           not null,
    amount     numeric(12, 2) not null,
    currency   text           not null,
    status     text           not null,
    paid_at    timestamptz    not null
);
alter table payments replica identity full;
