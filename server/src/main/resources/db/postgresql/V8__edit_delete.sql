-- Parley schema, version 8, for PostgreSQL (the same change as db/h2/V8__edit_delete.sql): editing and deleting messages (docs/protocol.md, "Editing and deleting messages").
-- Re-runnable (decisions/schema-migrations.md).
--
-- edited_at: when the text was last edited (epoch ms), 0 = never. deleted: a tombstone (text '' and no
-- attachments; its files are deleted with it). target_seq: for the entries of kind EDIT (4) and DELETE (5), the
-- message (same conversation) they change; 0 for every other kind.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS edited_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS deleted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS target_seq BIGINT NOT NULL DEFAULT 0;
-- An edit rewrites the text of the earlier EDIT entries of the same message (they always carry its current text, so
-- no earlier version stays readable) and a deletion blanks them: both find them through this index.
CREATE INDEX IF NOT EXISTS messages_target ON messages (conversation_id, target_seq);
