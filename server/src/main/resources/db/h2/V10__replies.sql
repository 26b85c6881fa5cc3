-- Parley schema, version 10 (replies; issue 13, "Replies"). A message may answer an earlier message of the same
-- conversation: reply_to is that message's seq, 0 when it answers none (every message stored before this version).
-- The server checks that the message exists before storing the reply. Re-runnable (decisions/schema-migrations.md).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS reply_to BIGINT DEFAULT 0 NOT NULL;
