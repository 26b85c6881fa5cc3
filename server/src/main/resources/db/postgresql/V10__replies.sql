-- Parley schema, version 10, for PostgreSQL (the same change as db/h2/V10__replies.sql): reply_to is the seq of
-- the message of the same conversation a message answers, 0 for none. Re-runnable; a constant default adds the
-- column without rewriting the table.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS reply_to BIGINT NOT NULL DEFAULT 0;
