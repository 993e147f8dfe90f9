-- The shop's order table. REPLICA IDENTITY FULL: a deleted row's change carries the whole row.
create table if not exists orders (
    order_id    text primary key,
    customer_id text           not null,
    amount      numeric(12, 2) not null,
    currency    text           not null,
    status      text           not null,
    created_at  timestamptz    not null,
    updated_at  timestamptz    not null
);
alter table orders replica identity full;
