package org.parley.server.conversations;

import org.parley.protocol.message.Conversations.Role;

/**
 * A member of a conversation with how far messages have reached them (sequence numbers, 0 = none) and their role
 * in a group (docs/decisions/group-roles.md; MEMBER in 1:1 conversations).
 */
public record Member(long conversationId, long accountId, long deliveredUpTo, long readUpTo, Role role) {

    /** A member whose role does not matter here (marks being moved: the store leaves roles as they are). */
    public Member(long conversationId, long accountId, long deliveredUpTo, long readUpTo) {
        this(conversationId, accountId, deliveredUpTo, readUpTo, Role.MEMBER);
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }
}
