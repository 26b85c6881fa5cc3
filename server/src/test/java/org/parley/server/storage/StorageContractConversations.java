package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.Role;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.Member;
import org.parley.server.messages.MessageStore.Draft;

/** Edge cases of the conversations store (membership, listing, marks) that every adapter must pass unchanged. */
public abstract class StorageContractConversations extends StorageContractSupport {

    private void say(long conversation, long sender, String clientId, long timestamp) {
        storage.messages().append(List.of(new Draft(conversation, sender, clientId, Kind.TEXT, timestamp, clientId,
                new byte[0])));
    }

    @Test
    void eachPairHasItsOwnDirectConversationThatReportsItsCurrentLastSeq() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        Conversation annBob = storage.conversations().findOrCreateDirect(ann, bob, 1);
        Conversation annCat = storage.conversations().findOrCreateDirect(cat, ann, 1);
        Conversation bobCat = storage.conversations().findOrCreateDirect(bob, cat, 1);
        assertThat(List.of(annBob.id(), annCat.id(), bobCat.id())).doesNotHaveDuplicates();
        assertThat(annBob.lastSeq()).isZero();
        assertThat(annBob.title()).isEmpty();
        say(annBob.id(), ann, "x", 10);
        Conversation again = storage.conversations().findOrCreateDirect(bob, ann, 99);
        assertThat(again.id()).isEqualTo(annBob.id());
        assertThat(again.lastSeq()).isEqualTo(1);
        assertThat(again.createdAt()).isEqualTo(1);
        assertThat(again.kind()).isEqualTo(Conversations.Kind.DIRECT);
    }

    @Test
    void aGroupIsNeverMistakenForADirectConversation() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        Conversation group = storage.conversations().createGroup("two of us", ann, List.of(bob), 1);
        Conversation direct = storage.conversations().findOrCreateDirect(ann, bob, 2);
        assertThat(direct.id()).isNotEqualTo(group.id());
        Conversation second = storage.conversations().createGroup("two of us", ann, List.of(bob), 3);
        assertThat(second.id()).isNotEqualTo(group.id());
        assertThat(storage.conversations().find(second.id()).orElseThrow())
                .isEqualTo(new Conversation(second.id(), Conversations.Kind.GROUP, "two of us", 0, 3));
    }

    /** The groups an account created (schema V14), for the limits on creating more: 1:1s and others' not counted. */
    @Test
    void groupsCreatedByCountsTheCreatorsGroupsSinceATime() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        storage.conversations().createGroup("a", ann, List.of(bob), 1_000);
        storage.conversations().createGroup("b", ann, List.of(bob), 2_000);
        long c = storage.conversations().createGroup("c", ann, List.of(), 3_000).id();
        storage.conversations().createGroup("d", bob, List.of(ann), 3_000);
        storage.conversations().findOrCreateDirect(ann, bob, 3_000);
        assertThat(storage.conversations().groupsCreatedBy(ann, 0)).isEqualTo(3);
        assertThat(storage.conversations().groupsCreatedBy(ann, 2_000)).isEqualTo(2);
        assertThat(storage.conversations().groupsCreatedBy(ann, 3_001)).isZero();
        assertThat(storage.conversations().groupsCreatedBy(bob, 0)).isEqualTo(1);
        storage.conversations().removeMember(c, ann);
        assertThat(storage.conversations().groupsCreatedBy(ann, 0)).as("leaving does not undo creating").isEqualTo(3);
        assertThat(storage.conversations().deleteGroup(c)).isTrue();
        assertThat(storage.conversations().groupsCreatedBy(ann, 0)).as("a deleted group counts no more").isEqualTo(2);
    }

    @Test
    void marksOfTheSameMembersMovedAtOnceInOppositeOrdersAllLandWithoutADeadlock() throws Exception {
        // The message writer moves its senders' marks while the receipts' flush moves the receivers': the same rows,
        // in whatever order each batch lists them. Before every writer locked them in one order, H2 and PostgreSQL
        // answered such a pair with a deadlock and one side's whole transaction failed.
        long ann = account("ann").id();
        List<Long> others = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(account("m" + i).id());
        }
        long g = storage.conversations().createGroup("g", ann, others, 1).id();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 100; round++) {
                long seq = round;
                List<Member> up = others.stream().map(a -> new Member(g, a, seq, seq)).toList();
                List<Member> down = up.reversed();
                java.util.concurrent.Future<?> a = pool.submit(() -> storage.conversations().updateMarks(up));
                java.util.concurrent.Future<?> b = pool.submit(() -> storage.conversations().updateMarks(down));
                a.get();
                b.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (long other : others) {
            assertThat(member(g, other)).isEqualTo(new Member(g, other, 100, 100));
        }
    }

    @Test
    void reAddingAMemberKeepsTheirMarks() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        say(g, ann, "1", 1);
        say(g, ann, "2", 2);
        storage.conversations().updateMarks(List.of(new Member(g, bob, 2, 1)));
        storage.conversations().addMembers(g, List.of(bob, cat));
        assertThat(member(g, bob)).isEqualTo(new Member(g, bob, 2, 1));
        assertThat(member(g, cat)).isEqualTo(new Member(g, cat, 0, 0));
        assertThat(member(g, ann)).isEqualTo(new Member(g, ann, 2, 2, Role.ADMIN));
    }

    @Test
    void theCreatorOfAGroupIsItsAdminAndEveryoneElseAMember() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob, ann), 1).id();
        storage.conversations().addMembers(g, List.of(cat));
        long d = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        assertThat(storage.conversations().members(g)).extracting(m -> m.accountId() + ":" + m.role())
                .containsExactlyInAnyOrder(ann + ":ADMIN", bob + ":MEMBER", cat + ":MEMBER");
        assertThat(storage.conversations().members(d)).extracting(Member::role).containsOnly(Role.MEMBER);
        assertThat(storage.conversations().members(List.of(g)).get(g)).extracting(Member::role)
                .containsExactlyInAnyOrder(Role.ADMIN, Role.MEMBER, Role.MEMBER);
    }

    @Test
    void aRoleIsSetPerMembershipAndKeptWhenMarksMove() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        long h = storage.conversations().createGroup("h", ann, List.of(bob), 1).id();
        say(g, ann, "1", 1);
        storage.conversations().setRole(g, bob, Role.ADMIN);
        storage.conversations().updateMarks(List.of(new Member(g, bob, 1, 1)));
        storage.conversations().addMembers(g, List.of(bob)); // already a member: stays as they are
        assertThat(member(g, bob)).isEqualTo(new Member(g, bob, 1, 1, Role.ADMIN));
        assertThat(member(h, bob).role()).isEqualTo(Role.MEMBER);
        storage.conversations().setRole(g, ann, Role.MEMBER);
        assertThat(member(g, ann).role()).isEqualTo(Role.MEMBER);
        storage.conversations().setRole(g, account("cat").id(), Role.ADMIN); // not a member: nothing happens
        assertThat(storage.conversations().members(g)).hasSize(2);
    }

    @Test
    void aRoleDoesNotSurviveLeavingAndComingBack() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        storage.conversations().setRole(g, bob, Role.ADMIN);
        storage.conversations().removeMember(g, bob);
        storage.conversations().addMembers(g, List.of(bob));
        assertThat(member(g, bob).role()).isEqualTo(Role.MEMBER);
    }

    @Test
    void theLongestStandingMemberIsWhoJoinedFirstThenTheLowestAccountId() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long dan = account("dan").id();
        long g = storage.conversations().createGroup("g", cat, List.of(dan), 1).id();
        say(g, cat, "1", 1);
        storage.conversations().addMembers(g, List.of(bob));
        say(g, cat, "2", 2);
        storage.conversations().addMembers(g, List.of(ann));
        assertThat(storage.conversations().longestStandingMember(g)).hasValue(cat); // cat < dan, both at creation
        storage.conversations().removeMember(g, cat);
        assertThat(storage.conversations().longestStandingMember(g)).hasValue(dan);
        storage.conversations().removeMember(g, dan);
        // bob joined before ann, though ann's account is older
        assertThat(storage.conversations().longestStandingMember(g)).hasValue(bob);
        storage.conversations().removeMember(g, bob);
        assertThat(storage.conversations().longestStandingMember(g)).hasValue(ann);
        storage.conversations().removeMember(g, ann);
        assertThat(storage.conversations().longestStandingMember(g)).isEmpty();
    }

    @Test
    void aRemovedMemberNoLongerSeesTheConversation() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        storage.conversations().removeMember(g, bob);
        storage.conversations().removeMember(g, bob); // again: nothing happens
        assertThat(storage.conversations().conversationsOf(bob)).isEmpty();
        assertThat(storage.conversations().members(g)).extracting(Member::accountId).containsExactly(ann);
        assertThat(storage.conversations().conversationsOf(ann)).extracting(Conversation::id).containsExactly(g);
    }

    @Test
    void unknownConversationsHaveNoMembers() {
        long ann = account("ann").id();
        assertThat(storage.conversations().members(424_242)).isEmpty();
        assertThat(storage.conversations().isMember(424_242, ann)).isFalse();
        assertThat(storage.conversations().members(List.of())).isEmpty();
        assertThat(storage.conversations().members(List.of(424_242L))).isEmpty();
        assertThat(storage.conversations().conversationsOf(ann)).isEmpty();
    }

    @Test
    void membersOfSeveralConversationsAtOnce() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long d = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long g = storage.conversations().createGroup("g", cat, List.of(ann, bob), 1).id();
        long other = storage.conversations().createGroup("other", cat, List.of(), 1).id();
        Map<Long, List<Member>> byConversation = storage.conversations().members(List.of(d, g));
        assertThat(byConversation).containsOnlyKeys(d, g);
        assertThat(byConversation.get(d)).extracting(Member::accountId).containsExactlyInAnyOrder(ann, bob);
        assertThat(byConversation.get(g)).extracting(Member::accountId).containsExactlyInAnyOrder(ann, bob, cat);
        assertThat(storage.conversations().conversationsOf(cat)).extracting(Conversation::id)
                .containsExactlyInAnyOrder(g, other);
    }

    @Test
    void conversationsOfListsNewestActivityFirst() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long busy = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long quiet = storage.conversations().findOrCreateDirect(ann, cat, 2).id();
        long fresh = storage.conversations().createGroup("fresh", bob, List.of(ann), 3).id();
        for (int i = 0; i < 5; i++) {
            say(busy, bob, "b" + i, 100 + i);
        }
        say(quiet, cat, "c0", 200); // fewer messages than busy, but the newest of all
        // fresh has no message: its activity is its creation, older than both
        assertThat(storage.conversations().conversationsOf(ann)).extracting(Conversation::id)
                .containsExactly(quiet, busy, fresh);
        say(busy, ann, "a0", 300);
        assertThat(storage.conversations().conversationsOf(ann)).extracting(Conversation::id)
                .containsExactly(busy, quiet, fresh);
    }

    @Test
    void conversationsOfCarriesTheLastSeqNeededForUnreadCounts() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long d = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        say(d, bob, "1", 1);
        say(d, bob, "2", 2);
        say(d, bob, "3", 3);
        storage.conversations().updateMarks(List.of(new Member(d, ann, 3, 1)));
        Conversation listed = storage.conversations().conversationsOf(ann).get(0);
        Member mine = storage.conversations().members(List.of(d)).get(d).stream()
                .filter(m -> m.accountId() == ann).findFirst().orElseThrow();
        assertThat(listed.lastSeq() - mine.readUpTo()).isEqualTo(2);
    }

    @Test
    void marksMoveForwardInOneBatchAcrossConversationsAndIgnoreNonMembers() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long d = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long g = storage.conversations().createGroup("g", ann, List.of(cat), 1).id();
        storage.conversations().updateMarks(List.of(new Member(d, bob, 7, 2), new Member(g, cat, 3, 3),
                new Member(g, bob, 9, 9), new Member(d, bob, 6, 5)));
        assertThat(member(d, bob)).isEqualTo(new Member(d, bob, 7, 5));
        assertThat(member(g, cat)).isEqualTo(new Member(g, cat, 3, 3));
        assertThat(storage.conversations().isMember(g, bob)).isFalse();
        storage.conversations().updateMarks(List.of());
        storage.conversations().updateMarks(List.of(new Member(d, bob, 0, 0)));
        reopen();
        assertThat(member(d, bob)).isEqualTo(new Member(d, bob, 7, 5));
    }

    @Test
    void renamesAndMembershipSurviveReopening() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long g = storage.conversations().createGroup("before", ann, List.of(bob), 1).id();
        storage.conversations().rename(g, "after ✓");
        reopen();
        assertThat(storage.conversations().find(g).orElseThrow().title()).isEqualTo("after ✓");
        assertThat(storage.conversations().isMember(g, bob)).isTrue();
        assertThat(storage.conversations().findOrCreateDirect(ann, bob, 5).id()).isNotEqualTo(g);
    }
}
