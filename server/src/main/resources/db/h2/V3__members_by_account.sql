-- Parley schema, version 3: every index on members holds both key columns. Re-runnable, also after stopping after
-- any one of its statements (decisions/schema-migrations.md; H2StorageTest runs it that way).
--
-- The message writer updates the sender's marks, WHERE conversation_id = ? AND account_id = ?, inside its hot
-- transaction. V1's members had single-column indexes on account_id (members_account, and the one H2 makes for
-- the foreign key); when H2's statistics said account ids were nearly distinct, its optimizer rated that index as
-- good as the primary key and walked every membership of the sender: 3-7 ms per update for a sender in 10,000
-- conversations (the reconnect storm). With both columns in every index, any choice is a point look-up.
-- "An account's conversations" (WHERE account_id = ?) needs an index that starts with account_id:
-- members_by_account, made with CREATE INDEX because a UNIQUE (account_id, conversation_id) constraint would not
-- get one (H2 backs it with the primary key's index, same columns in another order; every such read would then scan
-- the whole table).
-- H2 backs every foreign key with an index on exactly its own columns (it does not reuse a wider one), so the
-- single-column account_id index cannot go while members references accounts: the table is rebuilt without its
-- two foreign keys. Accounts and conversations are never deleted (accounts are disabled), members are added only
-- for ids the services have just looked up, and messages never had foreign keys either.
CREATE TABLE IF NOT EXISTS members_v3 (
    conversation_id BIGINT NOT NULL,
    account_id      BIGINT NOT NULL,
    delivered_up_to BIGINT NOT NULL DEFAULT 0,
    read_up_to      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, account_id)
);
-- Only when an earlier attempt stopped after dropping members and before renaming members_v3: then this is empty.
CREATE TABLE IF NOT EXISTS members (
    conversation_id BIGINT NOT NULL,
    account_id      BIGINT NOT NULL,
    delivered_up_to BIGINT NOT NULL DEFAULT 0,
    read_up_to      BIGINT NOT NULL DEFAULT 0
);
MERGE INTO members_v3 KEY (conversation_id, account_id)
    SELECT conversation_id, account_id, delivered_up_to, read_up_to FROM members;
DROP TABLE members;
ALTER TABLE members_v3 RENAME TO members;
-- Last, on the renamed table: an index made on members_v3 before a stop would be dropped with the old members by
-- a re-run (which starts again from a new, empty members_v3).
CREATE UNIQUE INDEX IF NOT EXISTS members_by_account ON members (account_id, conversation_id);
