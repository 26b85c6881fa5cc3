-- Parley schema, version 3, for PostgreSQL: the same end state as db/h2/V3__members_by_account.sql (members keyed
-- by (conversation_id, account_id), an index that starts with account_id, no foreign keys on members), reached
-- without H2's rebuild: PostgreSQL does not back a foreign key with an index, so the table stays and only its
-- constraints and indexes change. Re-runnable.
ALTER TABLE members DROP CONSTRAINT IF EXISTS members_conversation_id_fkey;
ALTER TABLE members DROP CONSTRAINT IF EXISTS members_account_id_fkey;
DROP INDEX IF EXISTS members_account;
CREATE UNIQUE INDEX IF NOT EXISTS members_by_account ON members (account_id, conversation_id);
