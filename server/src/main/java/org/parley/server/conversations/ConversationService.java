package org.parley.server.conversations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.FrameTooLargeException;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.ConversationInfo;
import org.parley.protocol.message.Conversations.Kind;
import org.parley.protocol.message.Conversations.Role;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountStore;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;
import org.parley.server.common.OnlineUsers;
import org.parley.server.common.ClientLink;

/**
 * 1:1 conversations and groups, their membership and roles, and receipts marks ({@link TypingRelay} forwards
 * typing). Membership changes, role changes and renames are also written into the conversation's history as SYSTEM
 * messages, so they are ordered with the messages.
 *
 * <p>Group roles (docs/decisions/group-roles.md): the creator is an admin; only admins remove other members and
 * name or demote admins; every member may add members, rename the group and leave. A group keeps at least one admin:
 * when the last one leaves (or is removed), the longest-standing member becomes one. The roles apply to every
 * connection, whatever protocol version it speaks (version 1 clients cannot see them).
 */
public final class ConversationService {

    public static final int MAX_GROUP_MEMBERS = 5000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConversationService.class);
    /** Most conversations in one ConversationList page. */
    public static final int MAX_LIST_PAGE = 1000;
    /** Conversations whose members are read from storage at a time while a page is filled. */
    private static final int LIST_CHUNK = 50;
    /** Room in a frame for the header and a list's own fields, around its conversations. */
    private static final int LIST_OVERHEAD = 64;

    private final ConversationStore store;
    private final AccountStore accounts;
    private final NameCache names;
    private final MembershipCache membership;
    private final Receipts receipts;
    private final OnlineUsers online;
    private final SystemMessages system;
    private final int maxFrameBytes;
    /**
     * Membership and role changes of one group run one at a time (striped by conversation id), so that two admins
     * leaving at once cannot both see the other stay and leave the group without one.
     */
    private final Object[] changeLocks = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    private Object changeLock(long conversationId) {
        return changeLocks[(int) Math.floorMod(conversationId, (long) changeLocks.length)];
    }

    /** One account's group creations run one at a time (striped by account id): the count and the new group agree. */
    private final Object[] creationLocks = java.util.stream.Stream.generate(Object::new).limit(64).toArray();
    private volatile GroupLimits groupLimits = GroupLimits.defaults();

    /** The limits on groups created per account (set once at start-up; the defaults until then). */
    public void setGroupLimits(GroupLimits limits) {
        this.groupLimits = limits;
    }

    public ConversationService(ConversationStore store, AccountStore accounts, NameCache names,
            MembershipCache membership, Receipts receipts, OnlineUsers online, SystemMessages system,
            int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.store = store;
        this.accounts = accounts;
        this.names = names;
        this.membership = membership;
        this.receipts = receipts;
        this.online = online;
        this.system = system;
    }

    public void register(Handlers h) {
        h.on(Conversations.OpenDirect.class, (c, r) -> done(openDirect(c, r.user())));
        h.on(Conversations.CreateGroup.class, (c, r) -> done(createGroup(c, r.title(), r.members())));
        h.on(Conversations.Rename.class, (c, r) -> done(rename(c, r.conversationId(), r.title())));
        h.on(Conversations.AddMembers.class, (c, r) -> done(addMembers(c, r.conversationId(), r.users())));
        h.on(Conversations.RemoveMember.class, (c, r) -> done(removeMember(c, r.conversationId(), r.user())));
        h.on(Conversations.Leave.class, (c, r) -> done(leave(c, r.conversationId())));
        h.on(Conversations.SetRole.class, (c, r) -> done(setRole(c, r.conversationId(), r.user(), r.role())));
        h.on(Conversations.ListConversations.class, (c, r) -> done(list(c, r.afterId(), r.limit())));
        h.on(Chat.MarkDelivered.class, (c, r) -> done(mark(c, r.conversationId(), r.upToSeq(), 0)));
        h.on(Chat.MarkRead.class, (c, r) -> done(mark(c, r.conversationId(), r.upToSeq(), r.upToSeq())));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * UNKNOWN_CONVERSATION unless the caller is a member. Every send and history page asks, so it is answered from
     * the membership cache without reading storage. A conversation that exists and one that does not get the same
     * answer (ids are sequential: a different one would tell a stranger which conversations exist).
     */
    public void requireMember(Caller caller, long conversationId) {
        if (!membership.isMember(conversationId, caller.accountId())) {
            throw notYours(conversationId);
        }
    }

    /** Whether the caller is an admin of the group {@code conversationId} (false for a 1:1 conversation). */
    public boolean isGroupAdmin(Caller caller, long conversationId) {
        return store.members(conversationId).stream()
                .anyMatch(m -> m.accountId() == caller.accountId() && m.admin());
    }

    private static ParleyException notYours(long conversationId) {
        return new ParleyException(ErrorCode.UNKNOWN_CONVERSATION,
                "no conversation " + conversationId + " that you are a member of");
    }

    /** The conversation, if the caller is a member; UNKNOWN_CONVERSATION otherwise. */
    private Conversation requireConversation(Caller caller, long conversationId) {
        requireMember(caller, conversationId);
        return store.find(conversationId).orElseThrow(() -> notYours(conversationId));
    }

    private Conversation requireGroup(Caller caller, long conversationId) {
        Conversation c = requireConversation(caller, conversationId);
        if (c.kind() != Kind.GROUP) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a 1:1 conversation has no title or members to change");
        }
        return c;
    }

    private Account user(String name) {
        String n = Names.canonical(name);
        return accounts.findByName(n).filter(a -> !a.disabled())
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "no user " + Names.quoted(n)));
    }

    /**
     * Deletes a group for good (an administrator's request): its messages and files go with it, and every member's
     * connections get {@link Conversations.ConversationRemoved}. Returns the members' account ids;
     * UNKNOWN_CONVERSATION when there is no group with this id (a direct conversation is not a group).
     */
    public List<Long> deleteGroup(long conversationId) {
        ParleyException none = new ParleyException(ErrorCode.UNKNOWN_CONVERSATION, "no group " + conversationId);
        store.find(conversationId).filter(c -> c.kind() == Kind.GROUP).orElseThrow(() -> none);
        List<Long> members = store.members(conversationId).stream().map(Member::accountId).toList();
        if (!store.deleteGroup(conversationId)) {
            throw none;
        }
        membership.invalidate(conversationId);
        for (long member : members) {
            online.push(member, new Conversations.ConversationRemoved(conversationId), null);
        }
        return members;
    }

    /** The conversation as {@code accountId} sees it. */
    public ConversationInfo info(long conversationId, long accountId) {
        Conversation c = store.find(conversationId).orElseThrow();
        return info(c, accountId, store.members(conversationId));
    }

    private ConversationInfo info(Conversation c, long accountId, List<Member> members) {
        Map<Long, String> n = names.names(members.stream().map(Member::accountId).toList());
        List<Conversations.Member> out = new ArrayList<>();
        long myRead = -1; // -1: not a member (an announcement's shared part, whose count each member's frame replaces)
        for (Member stored : members) {
            Member m = receipts.overlay(stored);
            out.add(new Conversations.Member(n.getOrDefault(m.accountId(), "?"), m.deliveredUpTo(), m.readUpTo(),
                    m.role()));
            if (m.accountId() == accountId) {
                myRead = m.readUpTo();
            }
        }
        String title = c.title();
        if (c.kind() == Kind.DIRECT) {
            title = members.stream().filter(m -> m.accountId() != accountId).findFirst()
                    .map(m -> n.getOrDefault(m.accountId(), "")).orElse(names.name(accountId));
        }
        return new ConversationInfo(c.id(), c.kind(), title, out, c.lastSeq(),
                myRead < 0 ? 0 : receipts.unread(c.id(), c.lastSeq(), myRead).of(myRead), c.createdAt(),
                c.reactionRevision());
    }

    /** Pushes the conversation, as each member sees it, to the members' connections. */
    private void announce(long conversationId) {
        announce(conversationId, null);
    }

    private void announceExcept(long conversationId, Caller caller) {
        announce(conversationId, caller.link());
    }

    /**
     * Pushes the conversation, as each member sees it, to the members' connections but {@code except}. A group
     * looks the same to every member but for the unread count: its member list is built once, and the members with
     * the same count share one encoded frame. A change to a group of thousands (every member may rename it) used to
     * build and encode the whole member list once per online member: some 300 KB each for 5,000 members.
     */
    private void announce(long conversationId, ClientLink except) {
        Conversation c = store.find(conversationId).orElseThrow();
        List<Member> members = store.members(conversationId);
        if (c.kind() != Kind.GROUP) {
            for (Member m : members) {
                if (online.isOnline(m.accountId())) {
                    online.push(m.accountId(), new Conversations.ConversationUpdated(info(c, m.accountId(),
                            members)), except);
                }
            }
            return;
        }
        ConversationInfo all = info(c, 0, members);
        Map<Long, EncodedFrame> byUnread = new HashMap<>();
        long lowestRead = Long.MAX_VALUE;
        for (int i = 0; i < members.size(); i++) {
            if (online.isOnline(members.get(i).accountId())) {
                lowestRead = Math.min(lowestRead, all.members().get(i).readUpTo());
            }
        }
        UnreadCounts counts = receipts.unread(c.id(), c.lastSeq(), lowestRead);
        try {
            for (int i = 0; i < members.size(); i++) {
                long account = members.get(i).accountId();
                if (!online.isOnline(account)) {
                    continue;
                }
                long unread = counts.of(all.members().get(i).readUpTo());
                EncodedFrame frame = byUnread.computeIfAbsent(unread, u -> EncodedFrame.of(Frame.push(
                        new Conversations.ConversationUpdated(new ConversationInfo(all.id(), all.kind(), all.title(),
                                all.members(), all.lastSeq(), u, all.createdAt()))), maxFrameBytes));
                online.push(account, frame, except);
            }
        } catch (FrameTooLargeException e) {
            LOG.atWarn().addKeyValue("conversation", conversationId).addKeyValue("members", members.size())
                    .addKeyValue("bytes", e.length()).log("a group's member list is larger than a frame "
                            + "(max-frame-bytes); its online members were not told of the change");
        }
    }

    private ConversationInfo openDirect(Caller caller, String name) {
        Account other = user(name);
        Conversation c = store.findOrCreateDirect(caller.accountId(), other.id(), System.currentTimeMillis());
        return info(c, caller.accountId(), store.members(c.id()));
    }

    private ConversationInfo createGroup(Caller caller, String rawTitle, List<String> users) {
        String title = Names.shown(rawTitle, Names.MAX_TITLE, "the title");
        if (title.isEmpty()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a group needs a title");
        }
        Set<Long> ids = accountIds(users, MAX_GROUP_MEMBERS - 1);
        if (ids.size() + 1 > MAX_GROUP_MEMBERS) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a group has at most " + MAX_GROUP_MEMBERS
                    + " members");
        }
        Conversation c;
        synchronized (creationLocks[(int) Math.floorMod(caller.accountId(), (long) creationLocks.length)]) {
            long now = System.currentTimeMillis();
            requireRoomForAGroup(caller, now);
            c = store.createGroup(title, caller.accountId(), ids, now);
        }
        membership.invalidate(c.id());
        long created = system.post(c.id(), caller.accountId(), caller.userName() + " created the group “" + title
                + "”").join();
        joinedAt(c.id(), ids, created);
        announceExcept(c.id(), caller);
        return info(c.id(), caller.accountId());
    }

    /**
     * RATE_LIMITED when the caller created {@code groups-per-day} groups in the last 24 hours, QUOTA_EXCEEDED when
     * {@code max-groups-created} groups the caller created exist: a script could otherwise create groups for ever,
     * however slowly, each a row, a member list and a line in every member's sidebar.
     */
    private void requireRoomForAGroup(Caller caller, long now) {
        GroupLimits limits = groupLimits;
        if (store.groupsCreatedBy(caller.accountId(), now - 86_400_000L) >= limits.perDay()) {
            throw new ParleyException(ErrorCode.RATE_LIMITED, "you created " + limits.perDay() + " groups in the "
                    + "last 24 hours, as many as this server allows; try again later");
        }
        if (store.groupsCreatedBy(caller.accountId(), 0) >= limits.maxCreated()) {
            throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, "you created " + limits.maxCreated()
                    + " groups that still exist, as many as this server allows; an administrator can delete some");
        }
    }

    /**
     * New members start with everything up to the SYSTEM message that let them in delivered and read: neither that
     * line nor the history before they joined counts as unread for them.
     */
    private void joinedAt(long conversationId, Set<Long> accountIds, long seq) {
        for (long accountId : accountIds) {
            receipts.mark(conversationId, accountId, seq, seq);
        }
    }

    /**
     * The accounts named, refusing a list longer than {@code max} before any name is looked up: a frame of the full
     * size holds some 200,000 names, each a lookup.
     */
    private Set<Long> accountIds(List<String> users, int max) {
        if (users.size() > max) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a group has at most " + MAX_GROUP_MEMBERS
                    + " members; " + users.size() + " names are more than that");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String u : users) {
            ids.add(user(u).id());
        }
        return ids;
    }

    /**
     * The accounts that share a conversation with {@code accountId}, itself left out (those who show its name in a
     * chat: a change of its display name is pushed to them).
     */
    public Set<Long> coMembers(long accountId) {
        List<Long> ids = store.conversationsOf(accountId).stream().map(Conversation::id).toList();
        Set<Long> out = new LinkedHashSet<>();
        for (long id : ids) {
            out.addAll(membership.members(id));
        }
        out.remove(accountId);
        return out;
    }

    private Session.Ok rename(Caller caller, long id, String rawTitle) {
        requireGroup(caller, id);
        String title = Names.shown(rawTitle, Names.MAX_TITLE, "the title");
        if (title.isEmpty()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a group needs a title");
        }
        store.rename(id, title);
        system.post(id, caller.accountId(), caller.userName() + " renamed the group to “" + title + "”").join();
        announce(id);
        return new Session.Ok();
    }

    private Session.Ok addMembers(Caller caller, long id, List<String> users) {
        requireGroup(caller, id);
        Set<Long> ids = accountIds(users, MAX_GROUP_MEMBERS);
        ids.removeAll(membership.members(id));
        if (ids.isEmpty()) {
            return new Session.Ok();
        }
        if (membership.members(id).size() + ids.size() > MAX_GROUP_MEMBERS) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a group has at most " + MAX_GROUP_MEMBERS
                    + " members");
        }
        store.addMembers(id, ids);
        membership.invalidate(id);
        List<String> added = names.names(ids).values().stream().sorted().toList();
        long addedAt = system.post(id, caller.accountId(), caller.userName() + " added " + String.join(", ", added))
                .join();
        joinedAt(id, ids, addedAt);
        announce(id);
        return new Session.Ok();
    }

    /** FORBIDDEN unless the caller is an admin of the group; the group's members otherwise. */
    private List<Member> requireAdmin(Caller caller, long id, String what) {
        List<Member> members = store.members(id);
        if (members.stream().noneMatch(m -> m.accountId() == caller.accountId() && m.admin())) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "only the group's admins may " + what);
        }
        return members;
    }

    private Session.Ok removeMember(Caller caller, long id, String name) {
        requireGroup(caller, id);
        if (Names.canonical(name).equals(caller.userName())) {
            return leave(caller, id); // removing oneself is leaving, which every member may
        }
        synchronized (changeLock(id)) {
            requireAdmin(caller, id, "remove other members");
            Account gone = user(name);
            if (!membership.isMember(id, gone.id())) {
                throw new ParleyException(ErrorCode.NOT_A_MEMBER, gone.name() + " is not a member");
            }
            drop(id, gone.id(), caller.userName() + " removed " + gone.name(), caller);
        }
        return new Session.Ok();
    }

    private Session.Ok leave(Caller caller, long id) {
        requireGroup(caller, id);
        synchronized (changeLock(id)) {
            requireMember(caller, id); // still, now that the lock is held
            drop(id, caller.accountId(), caller.userName() + " left", caller);
        }
        return new Session.Ok();
    }

    private void drop(long id, long accountId, String text, Caller caller) {
        // The system message first, so that the one who leaves still receives it.
        system.post(id, caller.accountId(), text).join();
        store.removeMember(id, accountId);
        membership.invalidate(id);
        online.push(accountId, new Conversations.ConversationRemoved(id), null);
        keepAnAdmin(id, caller);
        announce(id);
    }

    /** A group whose last admin has gone gets its longest-standing member as admin (a SYSTEM message says so). */
    private void keepAnAdmin(long id, Caller caller) {
        List<Member> members = store.members(id);
        if (members.isEmpty() || members.stream().anyMatch(Member::admin)) {
            return;
        }
        long next = store.longestStandingMember(id).orElseThrow();
        store.setRole(id, next, Role.ADMIN);
        system.post(id, caller.accountId(), names.name(next) + " is now an admin (the last admin left)").join();
    }

    private Session.Ok setRole(Caller caller, long id, String name, Role role) {
        requireGroup(caller, id);
        synchronized (changeLock(id)) {
            List<Member> members = requireAdmin(caller, id, "name or demote admins");
            Account target = user(name);
            Member member = members.stream().filter(m -> m.accountId() == target.id()).findFirst()
                    .orElseThrow(() -> new ParleyException(ErrorCode.NOT_A_MEMBER, target.name() + " is not a member"));
            if (member.role() == role) {
                return new Session.Ok(); // nothing changes, nothing is said
            }
            if (role == Role.MEMBER && members.stream().filter(Member::admin).count() == 1) {
                throw new ParleyException(ErrorCode.CONFLICT, "a group keeps at least one admin: name another "
                        + "admin first");
            }
            store.setRole(id, target.id(), role);
            String text;
            if (role == Role.ADMIN) {
                text = caller.userName() + " made " + target.name() + " an admin";
            } else if (target.id() == caller.accountId()) {
                text = caller.userName() + " is no longer an admin";
            } else {
                text = caller.userName() + " made " + target.name() + " a member (no longer an admin)";
            }
            system.post(id, caller.accountId(), text).join();
            announce(id);
        }
        return new Session.Ok();
    }

    /**
     * A page of the caller's conversations with ids above {@code afterId}, by id: at most {@code limit} (0 = no
     * count but {@link #MAX_LIST_PAGE}) and at most what fits in one frame (a user in many large groups has more
     * member names than a frame holds). Members are read a few conversations at a time, so a page costs what it
     * holds, not what the user has.
     */
    private Conversations.ConversationList list(Caller caller, long afterId, int limit) {
        if (limit < 0 || limit > MAX_LIST_PAGE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a page has 1 to " + MAX_LIST_PAGE
                    + " conversations (0 = as many as fit), not " + limit);
        }
        if (afterId < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "afterId cannot be negative");
        }
        int max = limit == 0 ? MAX_LIST_PAGE : limit;
        List<Conversation> mine = store.conversationsOf(caller.accountId()).stream().filter(c -> c.id() > afterId)
                .sorted(java.util.Comparator.comparingLong(Conversation::id)).toList();
        List<ConversationInfo> out = new ArrayList<>(Math.min(max, mine.size()));
        // A version 1 client gets the first page only (it cannot ask for more): a whole frame of it, always.
        int budget = (caller.link().protocolVersion() >= 2 ? caller.link().pageBytes(maxFrameBytes) : maxFrameBytes)
                - LIST_OVERHEAD;
        int used = 0;
        boolean full = false;
        for (int from = 0; from < mine.size() && !full; from += LIST_CHUNK) {
            List<Conversation> chunk = mine.subList(from, Math.min(mine.size(), from + LIST_CHUNK));
            Map<Long, List<Member>> members = store.members(chunk.stream().map(Conversation::id).toList());
            for (Conversation c : chunk) {
                ConversationInfo info = info(c, caller.accountId(), members.getOrDefault(c.id(), List.of()));
                int size = wireSize(info);
                if (out.size() == max || (used + size > budget && !out.isEmpty())) {
                    full = true;
                    break;
                }
                out.add(info);
                used += size;
            }
        }
        return new Conversations.ConversationList(out, out.size() < mine.size());
    }

    /** At most the bytes a conversation takes in a frame of either protocol version. */
    static int wireSize(ConversationInfo info) {
        int size = 48 + utf8(info.title());
        for (Conversations.Member m : info.members()) {
            size += 24 + utf8(m.user()); // lengths, two marks, the role
        }
        return size;
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 5;
    }

    private Session.Ok mark(Caller caller, long id, long delivered, long read) {
        Conversation c = requireConversation(caller, id);
        long cap = c.lastSeq();
        // Reading implies delivery; neither may point past the newest message.
        receipts.mark(id, caller.accountId(), Math.min(cap, Math.max(delivered, read)), Math.min(cap, read));
        return new Session.Ok();
    }
}
