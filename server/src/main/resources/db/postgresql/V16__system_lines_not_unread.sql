-- Parley schema, version 16: SYSTEM lines ("ann added bob") are not unread (docs/protocol.md, "Receipts and unread
-- counts"), as the client has always counted them. message_edits, which holds the entries unread counts leave out
-- (V12: the EDIT (4) and DELETE (5) entries), now holds the SYSTEM (3) lines too, with target_seq 0, so that a
-- count still reads only that small table's (conversation_id, seq) index and not the messages between.
-- Re-runnable (decisions/schema-migrations.md).
INSERT INTO message_edits (conversation_id, target_seq, seq, kind)
    SELECT conversation_id, 0, seq, kind FROM messages WHERE kind = 3
    ON CONFLICT DO NOTHING;
