-- Parley schema, version 11: unread counts leave out the entries that edit or delete another message (kinds EDIT (4)
-- and DELETE (5); docs/protocol.md, "Receipts and unread counts"). A member's count is the messages after their read
-- mark less those entries after it, found through this index without reading the messages in between.
-- Re-runnable (decisions/schema-migrations.md).
CREATE INDEX IF NOT EXISTS messages_kind ON messages (conversation_id, kind, seq);
