-- Parley schema, version 8, for PostgreSQL (the same change as db/h2/V8__directory_accounts.sql; used once the
-- PostgreSQL adapter is merged): a directory account keeps the DN of its directory entry; NULL marks a local
-- account. Re-runnable.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS directory_dn VARCHAR(1024);
