-- Parley schema, version 12: fewer and cheaper index writes per message (docs/decisions/message-log.md, #17).
-- Re-runnable (decisions/schema-migrations.md).
--
-- V8's index messages_target (conversation_id, target_seq) took an entry for every message, target_seq 0 for all
-- but the EDIT and DELETE entries, although only those entries are ever looked up through it. message_edits holds
-- just them: (conversation, changed message, seq and kind of the EDIT (4) or DELETE (5) entry), written with the
-- entry, and the index goes. Its second index finds a conversation's entries after a seq: unread counts leave them
-- out (docs/protocol.md, "Receipts and unread counts") without an index entry per message.
CREATE TABLE IF NOT EXISTS message_edits (
    conversation_id BIGINT NOT NULL,
    target_seq      BIGINT NOT NULL,
    seq             BIGINT NOT NULL,
    kind            INT NOT NULL,
    PRIMARY KEY (conversation_id, target_seq, seq)
);
INSERT INTO message_edits (conversation_id, target_seq, seq, kind)
    SELECT conversation_id, target_seq, seq, kind FROM messages WHERE kind IN (4, 5)
    ON CONFLICT DO NOTHING;
CREATE INDEX IF NOT EXISTS message_edits_seq ON message_edits (conversation_id, seq);
DROP INDEX IF EXISTS messages_target;
-- The unique index of idempotent sends leads with the client id instead of the sender: Parley's client sends ids
-- that grow with time (UUID version 7, org.parley.protocol.ClientIds), so a batch's new entries all land at the end
-- of the index (one page) instead of at the end of each sender's range (one page per sender in the batch). Ids of
-- other clients (random UUIDs, any 1 to 64 characters) are indexed as before; a look-up names both columns either way.
DROP INDEX IF EXISTS messages_client_id;
CREATE UNIQUE INDEX IF NOT EXISTS messages_client_id ON messages (client_msg_id, sender_id);
