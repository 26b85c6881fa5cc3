package org.parley.server.wire;

import java.util.concurrent.ConcurrentHashMap;

import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Search;
import org.parley.server.conversations.ConversationService;

/**
 * The budget of costly requests an account may make, shared by all of its connections (docs/security.md, "Who can
 * do what"): requests that read or write much (searches, lists, group creation), or that push to many others (group
 * changes, contact requests). Every request also takes from its connection's own budget; this one keeps an account
 * with many connections from multiplying its share of the costly ones. One bucket per account that has made a
 * costly request since the server started (a few dozen bytes each).
 */
final class AccountBudgets {

    private final int ratePerSecond;
    private final int burst;
    private final ConcurrentHashMap<Long, TokenBucket> buckets = new ConcurrentHashMap<>();

    AccountBudgets(int ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** What {@code m} costs in its account's budget: 0 for requests that are not costly. */
    static double cost(Message m) {
        return switch (m) {
            // A member list is looked up name by name and written row by row: large ones cost more; one beyond the
            // group limit is refused before any name is looked up (INVALID_ARGUMENT, the clearer answer): 1.
            case Conversations.CreateGroup g -> memberListCost(g.members().size());
            case Conversations.AddMembers a -> memberListCost(a.users().size());
            case Conversations.OpenDirect x -> 1;
            case Conversations.Rename x -> 1;
            case Conversations.RemoveMember x -> 1;
            case Conversations.SetRole x -> 1;
            case Conversations.Leave x -> 1;
            case Conversations.ListConversations x -> 1;
            case Contacts.SearchUsers x -> 1;
            case Contacts.ListContacts x -> 1;
            case Contacts.RequestContact x -> 1;
            case Contacts.SetDisplayName x -> 1; // pushed to every contact and co-member
            case Search.SearchMessages x -> 1;
            case Search.FetchAround x -> 1;
            case Admin.ListUsers x -> 1;
            case Admin.ListGroups x -> 1;
            case Admin.ReadAuditLog x -> 1;
            case Admin.ListInvitations x -> 1;
            default -> 0;
        };
    }

    private static double memberListCost(int names) {
        return names > ConversationService.MAX_GROUP_MEMBERS ? 1 : 1 + names / 500.0;
    }

    /** Takes {@code cost} from the account's budget if it has that much left. */
    boolean tryTake(long accountId, double cost) {
        return cost <= 0 || buckets.computeIfAbsent(accountId, id -> new TokenBucket(ratePerSecond, burst))
                .tryTake(cost);
    }

    int ratePerSecond() {
        return ratePerSecond;
    }
}
