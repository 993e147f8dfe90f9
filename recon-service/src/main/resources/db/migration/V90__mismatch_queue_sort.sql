-- The queue sorted by a column other than first detection (QueueOrder: the column, then id, both in
-- the chosen direction; PostgreSQL reads each index forwards or backwards). Without them a sorted
-- page sorts every matching row; at 1M mismatches that is about a second per page.
create index mismatch_sort_severity_idx on mismatch (severity, id);
create index mismatch_sort_status_idx on mismatch (status, id);
create index mismatch_sort_type_idx on mismatch (type, id);
create index mismatch_sort_key_idx on mismatch (correlation_key, id);
create index mismatch_sort_task_idx on mismatch (task, id);
