-- Versions promoted from another Recon (export there, import here) are registered as IMPORTED.
alter table rule_release drop constraint rule_release_origin_check;
alter table rule_release add constraint rule_release_origin_check check (origin in ('REPOSITORY', 'PUBLISHED', 'IMPORTED'));
