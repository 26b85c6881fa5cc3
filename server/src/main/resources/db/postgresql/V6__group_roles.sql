-- Parley schema, version 6, for PostgreSQL (the same change as db/h2/V6__group_roles.sql): a role per membership (docs/decisions/group-roles.md) and the order members joined in.
-- Re-runnable, also after stopping after any one of its statements (decisions/schema-migrations.md).
--
-- role: the wire code of Conversations.Role (0 = MEMBER, 1 = ADMIN); always 0 in 1:1 conversations.
-- joined_seq: the conversation's last sequence number when the member joined (the SYSTEM message that let them in
-- comes right after it); the longest-standing member, who becomes admin when the last admin leaves, is the one with
-- the lowest, then the lowest account id. Memberships older than this version have 0: among them the order they
-- joined in is not known (members kept no time), so it is the account ids' (the older account first).
ALTER TABLE members ADD COLUMN IF NOT EXISTS role SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN IF NOT EXISTS joined_seq BIGINT NOT NULL DEFAULT 0;
-- The creator of each existing group is its admin: the sender of the group's first SYSTEM message ("ann created the
-- group"), if still a member. SYSTEM messages are stored with the acting user as their sender.
UPDATE members m SET role = 1
    WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.kind = 1)
    AND m.account_id = (SELECT x.sender_id FROM messages x WHERE x.conversation_id = m.conversation_id AND x.kind = 3
        ORDER BY x.seq FETCH FIRST 1 ROW ONLY);
-- A group whose creator has left (or that has no SYSTEM message) keeps an admin all the same: its longest-standing
-- member, as when the last admin leaves (here: the lowest account id, see joined_seq above).
UPDATE members m SET role = 1
    WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.kind = 1)
    AND NOT EXISTS (SELECT 1 FROM members a WHERE a.conversation_id = m.conversation_id AND a.role = 1)
    AND m.account_id = (SELECT MIN(b.account_id) FROM members b WHERE b.conversation_id = m.conversation_id);
