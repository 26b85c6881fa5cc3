package org.parley.contacts.ui.internal;

import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;

/**
 * One conversation as the sidebar lists it: the name shown (a 1:1's other member's display name, a group's
 * title), the other member of a 1:1 (null for a group) with their presence when they are a contact (else null),
 * the last message's preview and when the last thing happened (its time, or the conversation's creation).
 */
public record ConversationRow(Conversations.ConversationInfo conversation, String name, String otherUser,
        Contacts.Presence presence, String preview, long activity) {

    public boolean isGroup() {
        return conversation.kind() == Conversations.Kind.GROUP;
    }

    public long unread() {
        return conversation.unread();
    }
}
