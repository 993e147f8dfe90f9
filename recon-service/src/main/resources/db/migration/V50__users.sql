-- Users kept in the database, beside recon.security.users in configuration (configuration wins on the same
-- name). Outside the embedded demo only bcrypt hashes are accepted; roles as in the README, tasks '*' = all.
create table recon_user (
    name     text primary key,
    password text not null check (password like '{bcrypt}%'),
    roles    text[] not null,
    tasks    text[] not null default '{*}',
    enabled  boolean not null default true
);
