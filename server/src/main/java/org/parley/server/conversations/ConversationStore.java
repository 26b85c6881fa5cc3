package org.parley.server.conversations;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.parley.protocol.message.Conversations.Role;

/** Storage port of the conversations feature. */
public interface ConversationStore {

    /** The one direct conversation of {@code a} and {@code b}, created (with both as members) if absent. */
    Conversation findOrCreateDirect(long a, long b, long createdAt);

    /** Creates a group with the creator (its admin) and the given members. */
    Conversation createGroup(String title, long creatorId, Collection<Long> memberIds, long createdAt);

    /**
     * How many of the groups {@code accountId} created exist and were created at or after {@code since} (ms since
     * the epoch; 0 for all of them). A group whose creator is not known (created before schema V14 without a
     * SYSTEM message naming its creator) counts for nobody.
     */
    int groupsCreatedBy(long accountId, long since);

    Optional<Conversation> find(long conversationId);

    void rename(long conversationId, String title);

    /**
     * Adds members with the role MEMBER, as having joined after the conversation's current last message (those
     * already members are left as they are: marks, role and when they joined).
     */
    void addMembers(long conversationId, Collection<Long> accountIds);

    void removeMember(long conversationId, long accountId);

    boolean isMember(long conversationId, long accountId);

    /** The members, with their marks and roles, by account id. */
    List<Member> members(long conversationId);

    /** Sets a member's role; nothing happens if the account is not a member. */
    void setRole(long conversationId, long accountId, Role role);

    /**
     * The member who joined the conversation first (the lowest account id among those who joined at once, as the
     * creator and the first members of a group did); empty when it has no members.
     */
    OptionalLong longestStandingMember(long conversationId);

    /** Members of several conversations at once, by conversation id. */
    Map<Long, List<Member>> members(Collection<Long> conversationIds);

    /** The conversations {@code accountId} is a member of, newest activity first. */
    List<Conversation> conversationsOf(long accountId);

    /** Moves marks forward; a mark lower than the stored one is ignored (marks never go backwards). */
    void updateMarks(Collection<Member> marks);

    /** Groups (not direct conversations) with an id above {@code afterId}, by id, at most {@code limit}. */
    List<Conversation> groups(long afterId, int limit);

    /**
     * Deletes a group for good, in one transaction: its members, its messages, the files posted in it and its
     * uploads (open or finished); file content no other file uses is discarded (purged in the background). False
     * (nothing changed) when there is no group with this id.
     */
    boolean deleteGroup(long conversationId);
}
