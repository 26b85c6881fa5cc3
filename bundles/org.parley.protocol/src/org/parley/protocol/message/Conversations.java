package org.parley.protocol.message;

import java.util.List;

import org.parley.protocol.codec.Since;
import org.parley.protocol.codec.WireEnum;

/** 1:1 and group conversations and their membership. */
public final class Conversations {

    /** A conversation between exactly two users, or a named group. */
    public enum Kind implements WireEnum {
        DIRECT(0), GROUP(1);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        @Override
        public int wireCode() {
            return code;
        }
    }

    /**
     * A member's role in a group (docs/decisions/group-roles.md): admins remove other members and name or demote
     * admins. In a 1:1 conversation both are MEMBER.
     */
    public enum Role implements WireEnum {
        MEMBER(0), ADMIN(1);

        private final int code;

        Role(int code) {
            this.code = code;
        }

        @Override
        public int wireCode() {
            return code;
        }
    }

    /**
     * A member and how far the messages have reached them (sequence numbers, 0 = none), and (from protocol version
     * 2; MEMBER on a version 1 connection) their role.
     */
    public record Member(String user, long deliveredUpTo, long readUpTo, @Since(2) Role role) {

        /** A member whose role is not told (protocol version 1) or is MEMBER. */
        public Member(String user, long deliveredUpTo, long readUpTo) {
            this(user, deliveredUpTo, readUpTo, Role.MEMBER);
        }

        public boolean admin() {
            return role == Role.ADMIN;
        }
    }

    /**
     * A conversation as the receiver sees it. {@code lastSeq} is the sequence number of its newest message;
     * {@code unread} counts the messages after the receiver's read mark (not the entries that edit or delete one);
     * {@code createdAt} is epoch ms;
     * {@code reactionRevision} (from protocol version 2) counts the changes to its messages' reactions (see
     * {@link Reactions.FetchReactions}).
     */
    public record ConversationInfo(long id, Kind kind, String title, List<Member> members, long lastSeq,
            long unread, long createdAt, @Since(2) long reactionRevision) implements Message {

        /** A conversation whose reaction revision is not told (protocol version 1) or is 0. */
        public ConversationInfo(long id, Kind kind, String title, List<Member> members, long lastSeq, long unread,
                long createdAt) {
            this(id, kind, title, members, lastSeq, unread, createdAt, 0);
        }
    }

    /** Opens (or finds) the 1:1 conversation with {@code user}. Answer: {@link ConversationInfo}. */
    public record OpenDirect(String user) implements Message {
    }

    /** Creates a group with the caller and {@code members}. Answer: {@link ConversationInfo}. */
    public record CreateGroup(String title, List<String> members) implements Message {
    }

    /** Renames a group. Answer: Ok; members receive {@link ConversationUpdated}. */
    public record Rename(long conversationId, String title) implements Message {
    }

    /** Adds users to a group. Answer: Ok; members, old and new, receive {@link ConversationUpdated}. */
    public record AddMembers(long conversationId, List<String> users) implements Message {
    }

    /** Removes a user from a group. Answer: Ok; the removed user receives {@link ConversationRemoved}. */
    public record RemoveMember(long conversationId, String user) implements Message {
    }

    /**
     * Names {@code user}, a member of the group, an admin, or makes an admin a member again; only admins may, and a
     * group keeps at least one admin. Answer: Ok; the change is a SYSTEM message and members receive
     * {@link ConversationUpdated}.
     */
    public record SetRole(long conversationId, String user, Role role) implements Message {
    }

    /** The caller leaves a group. Answer: Ok. */
    public record Leave(long conversationId) implements Message {
    }

    /**
     * Asks for the caller's conversations with an id above {@code afterId} (0 = from the first), by id, at most
     * {@code limit} of them (0 = as many as fit in one frame; else 1 to 1,000). Answer: {@link ConversationList},
     * whose {@code more} says whether to ask again after its last id. A version 1 connection sends neither field
     * and gets the first page only.
     */
    public record ListConversations(@Since(2) long afterId, @Since(2) int limit) implements Message {

        /** The first page, as many as fit in a frame (all a version 1 connection can ask for). */
        public ListConversations() {
            this(0, 0);
        }
    }

    /**
     * Answer to ListConversations: a page of conversations by id, cut to fit in one frame; {@code more} (version 2)
     * when the caller has more conversations after the last one.
     */
    public record ConversationList(List<ConversationInfo> conversations, @Since(2) boolean more) implements Message {

        /** A whole list. */
        public ConversationList(List<ConversationInfo> conversations) {
            this(conversations, false);
        }
    }

    /** Push: a conversation was created with the receiver in it, or its title or members changed. */
    public record ConversationUpdated(ConversationInfo conversation) implements Message {
    }

    /** Push: the receiver is no longer a member of the conversation. */
    public record ConversationRemoved(long conversationId) implements Message {
    }

    private Conversations() {
    }
}
