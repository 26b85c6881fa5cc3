-- Parley schema, version 9: emoji reactions to messages (docs/protocol.md, "Reactions").
-- Re-runnable, also after stopping after any one of its statements (decisions/schema-migrations.md).
--
-- One row per (message, user, emoji): a reaction is not a message, and costs a few dozen bytes. emoji is one
-- grapheme of at most 32 UTF-16 units (org.parley.protocol.Emoji). created_at orders a message's emoji (by their
-- first reaction) and each emoji's users.
CREATE TABLE IF NOT EXISTS reactions (
    conversation_id BIGINT      NOT NULL,
    seq             BIGINT      NOT NULL,
    account_id      BIGINT      NOT NULL,
    emoji           VARCHAR(32) NOT NULL,
    created_at      BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, seq, account_id, emoji)
);
-- Resync: each conversation counts the changes to its reactions (its reaction revision, bumped under the
-- conversation's row lock), and each message whose reactions ever changed keeps the revision of its last change,
-- so that "what changed after revision r" is one range scan, removals included (the row stays when the last
-- reaction goes).
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS reaction_revision BIGINT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS reaction_changes (
    conversation_id BIGINT NOT NULL,
    seq             BIGINT NOT NULL,
    revision        BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX IF NOT EXISTS reaction_changes_revision ON reaction_changes (conversation_id, revision);
