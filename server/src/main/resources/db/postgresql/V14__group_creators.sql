-- Parley schema, version 14, for PostgreSQL (the same change as db/h2/V14__group_creators.sql; issue 15): who
-- created each group, so that how many groups one account creates can be bounded (the settings groups-per-day and
-- max-groups-created, conversations.GroupLimits, docs/security.md).
-- created_by: the creating account's id for a group; 0 for a 1:1 conversation, and for a group whose creator is not
-- known (it counts against nobody). Re-runnable, also after stopping after any one of its statements
-- (decisions/schema-migrations.md).
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS created_by BIGINT NOT NULL DEFAULT 0;
-- Existing groups: the sender of the group's first SYSTEM message ("ann created the group"); SYSTEM messages are
-- stored with the acting user as their sender (as V6 found each group's first admin).
UPDATE conversations c SET created_by = COALESCE((SELECT x.sender_id FROM messages x WHERE x.conversation_id = c.id
        AND x.kind = 3 ORDER BY x.seq FETCH FIRST 1 ROW ONLY), 0)
    WHERE c.kind = 1 AND c.created_by = 0;
-- The groups an account created, and since when: one range per account when it creates another.
CREATE INDEX IF NOT EXISTS conversations_by_creator ON conversations (created_by, created_at);
