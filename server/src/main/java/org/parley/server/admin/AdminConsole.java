package org.parley.server.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountService;
import org.parley.server.accounts.AccountStore;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.conversations.Member;
import org.parley.server.files.FileStore;
import org.parley.server.common.OnlineUsers;

/**
 * The admin requests an administrator's console needs to look after the server: the accounts (disabled ones
 * included, with their quota use), the groups with their members (and deleting one), and the server's status.
 * Each is refused with FORBIDDEN for a caller who is not an administrator now; deleting a group is audited.
 */
public final class AdminConsole {

    static final int MAX_USERS_PAGE = 200;
    static final int DEFAULT_USERS_PAGE = 50;
    static final int MAX_GROUPS_PAGE = 100;
    static final int DEFAULT_GROUPS_PAGE = 20;
    static final int MAX_QUERY = 100;

    /** What the status reports that only the server itself knows. */
    public record Facts(String version, long startedAt, long quotaBytes, int maxFrameBytes) {
    }

    private final AdminGuard guard;
    private final AccountService accounts;
    private final AccountStore accountStore;
    private final ConversationStore conversationStore;
    private final ConversationService conversations;
    private final FileStore files;
    private final OnlineUsers online;
    private final Facts facts;

    public AdminConsole(AdminGuard guard, AccountService accounts, AccountStore accountStore,
            ConversationStore conversationStore, ConversationService conversations, FileStore files,
            OnlineUsers online, Facts facts) {
        this.guard = guard;
        this.accounts = accounts;
        this.accountStore = accountStore;
        this.conversationStore = conversationStore;
        this.conversations = conversations;
        this.files = files;
        this.online = online;
        this.facts = facts;
    }

    public void register(Handlers h) {
        h.on(Admin.ListUsers.class, (c, r) -> done(listUsers(c, r)));
        h.on(Admin.ListGroups.class, (c, r) -> done(listGroups(c, r.afterId(), r.limit())));
        h.on(Admin.DeleteGroup.class, (c, r) -> done(deleteGroup(c, r.id())));
        h.on(Admin.GetServerStatus.class, (c, r) -> done(status(c)));
    }

    private static CompletableFuture<Message> done(Message value) {
        return CompletableFuture.completedFuture(value);
    }

    private static ParleyException invalid(String rule) {
        return new ParleyException(ErrorCode.INVALID_ARGUMENT, rule);
    }

    private Admin.UserPage listUsers(Caller caller, Admin.ListUsers r) {
        guard.requireAdmin(caller, "list users");
        String query = r.query().strip();
        String after = r.afterUser().strip();
        if (query.length() > MAX_QUERY) {
            throw invalid("query must be at most " + MAX_QUERY + " characters");
        }
        if (after.length() > MAX_QUERY) {
            throw invalid("afterUser must be at most " + MAX_QUERY + " characters");
        }
        if (r.limit() < 0 || r.limit() > MAX_USERS_PAGE) {
            throw invalid("limit must be between 1 and " + MAX_USERS_PAGE + " (0 = " + DEFAULT_USERS_PAGE + ")");
        }
        int n = r.limit() == 0 ? DEFAULT_USERS_PAGE : r.limit();
        List<Account> rows = accountStore.list(query, after.toLowerCase(java.util.Locale.ROOT), n + 1);
        List<Account> page = rows.subList(0, Math.min(n, rows.size()));
        Map<Long, Long> lastLogins = accountStore.lastLogins(page.stream().map(Account::id).toList());
        List<Admin.UserSummary> out = new ArrayList<>(page.size());
        for (Account a : page) {
            out.add(new Admin.UserSummary(a.name(), a.displayName(), a.admin() || accounts.adminBySetting(a.name()),
                    a.disabled(), a.createdAt(), lastLogins.getOrDefault(a.id(), 0L), files.quotaUsed(a.id()),
                    online.connectionsOf(a.id())));
        }
        return new Admin.UserPage(out, rows.size() > n);
    }

    private Admin.GroupPage listGroups(Caller caller, long afterId, int limit) {
        guard.requireAdmin(caller, "list groups");
        if (afterId < 0) {
            throw invalid("afterId must be 0 or more");
        }
        if (limit < 0 || limit > MAX_GROUPS_PAGE) {
            throw invalid("limit must be between 1 and " + MAX_GROUPS_PAGE + " (0 = " + DEFAULT_GROUPS_PAGE + ")");
        }
        int n = limit == 0 ? DEFAULT_GROUPS_PAGE : limit;
        List<Conversation> rows = conversationStore.groups(afterId, n + 1);
        List<Conversation> wanted = rows.subList(0, Math.min(n, rows.size()));
        Map<Long, List<Member>> members = conversationStore.members(wanted.stream().map(Conversation::id).toList());
        Set<Long> ids = new HashSet<>();
        members.values().forEach(list -> list.forEach(m -> ids.add(m.accountId())));
        Map<Long, Account> byId = accountStore.findByIds(ids);
        // Frame header, the list's count, the "more" flag and room to spare.
        int budget = facts.maxFrameBytes() - 64;
        List<Admin.GroupSummary> out = new ArrayList<>();
        boolean cut = false;
        for (Conversation c : wanted) {
            List<String> names = new ArrayList<>();
            for (Member m : members.getOrDefault(c.id(), List.of())) {
                Account a = byId.get(m.accountId());
                if (a != null) {
                    names.add(a.name());
                }
            }
            names.sort(null);
            int fixed = 8 + 5 + c.title().getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 4 + 5;
            int size = fixed;
            int fit = 0;
            for (String name : names) {
                int more = 5 + name.length();
                if (size + more > budget) {
                    break;
                }
                size += more;
                fit++;
            }
            if (fit < names.size() && !out.isEmpty() || size > budget) {
                cut = true; // this group goes on the next page, where it is first and gets the whole frame
                break;
            }
            out.add(new Admin.GroupSummary(c.id(), c.title(), c.createdAt(), c.lastSeq(), names.size(),
                    List.copyOf(names.subList(0, fit))));
            budget -= size;
        }
        return new Admin.GroupPage(out, cut || rows.size() > n);
    }

    private Session.Ok deleteGroup(Caller caller, long id) {
        guard.requireAdmin(caller, "delete groups");
        Conversation group = conversationStore.find(id).orElse(null);
        List<Long> members = conversations.deleteGroup(id);
        guard.record(caller, "delete-group", "group " + id, "\"" + (group == null ? "" : group.title()) + "\", "
                + members.size() + " members, " + (group == null ? 0 : group.lastSeq()) + " messages");
        return new Session.Ok();
    }

    private Admin.ServerStatus status(Caller caller) {
        guard.requireAdmin(caller, "see the server's status");
        long free = files.usableSpace();
        return new Admin.ServerStatus(facts.version(), facts.startedAt(), System.currentTimeMillis(),
                online.connectionCount(), online.accountCount(), accountStore.count(), files.storedBytes(),
                free == Long.MAX_VALUE ? -1 : free, facts.quotaBytes());
    }
}
