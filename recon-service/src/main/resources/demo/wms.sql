-- The warehouse's shipments.
create table if not exists shipments (
    shipment_id text primary key,
    order_id    text        not null,
    carrier     text        not null,
    status      text        not null,
    shipped_at  timestamptz not null
);
alter table shipments replica identity full;
