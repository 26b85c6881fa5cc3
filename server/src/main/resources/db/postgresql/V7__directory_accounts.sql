-- Parley schema, version 7, for PostgreSQL (the same change as db/h2/V7__directory_accounts.sql): a directory account keeps the DN of its directory entry; NULL marks a local
-- account. Re-runnable.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS directory_dn VARCHAR(1024);
