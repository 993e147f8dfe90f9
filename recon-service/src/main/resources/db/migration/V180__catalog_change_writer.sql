-- Which process wrote a catalog change, and what it asked beyond the entry itself (an incremental snapshot of a
-- table, a dropped replication slot): with several instances, the others read the changes they did not write and
-- apply them as the writer did.
alter table catalog_change add column writer text;
alter table catalog_change add column request text;
