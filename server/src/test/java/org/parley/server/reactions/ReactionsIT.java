package org.parley.server.reactions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Reactions.Reaction;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Reactions over real sockets: members react, everyone online sees it, resync, limits, strangers, bad emoji. */
class ReactionsIT {

    private static final String THUMBS = "\uD83D\uDC4D";
    private static final String PARTY = "\uD83C\uDF89";
    private static final String HEART = "\u2764\uFE0F";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--reactions-max-emoji", "3", "--reactions-max-per-user", "2",
            "--reactions-per-minute", "1000");

    private TestConnection ann;
    private TestConnection bob;
    private TestConnection dan;

    /** ann and bob in a group with one message from ann (seq 2, after the SYSTEM line); dan is not a member. */
    private long group() throws IOException {
        ann = server.register("ann");
        bob = server.register("bob");
        dan = server.register("dan");
        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob")),
                Conversations.ConversationInfo.class).id();
        ann.request(new Chat.Send(g, "m1", Kind.TEXT, "ship it?", List.of()), Chat.Sent.class);
        return g;
    }

    private static List<Reaction> summary(TestConnection c, long g, long seq) {
        return c.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class).messages().stream()
                .filter(m -> m.seq() == seq).findFirst().orElseThrow().reactions();
    }

    private static long revision(TestConnection c, long g) {
        return c.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations().stream().filter(x -> x.id() == g).findFirst().orElseThrow().reactionRevision();
    }

    @Test
    void aMemberReactsTheOthersSeeItLiveAndInTheHistory() throws IOException {
        long g = group();
        var answer = bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        assertThat(answer.changed()).isTrue();
        assertThat(answer.revision()).isEqualTo(1);
        assertThat(answer.reactions()).containsExactly(new Reaction(THUMBS, List.of("bob")));
        var pushed = ann.awaitPush(Reactions.ReactionChanged.class);
        assertThat(pushed).isEqualTo(answer);
        ann.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        ann.request(new Reactions.AddReaction(g, 2, PARTY), Reactions.ReactionChanged.class);
        assertThat(bob.awaitPush(Reactions.ReactionChanged.class, p -> p.emoji().equals(PARTY)).reactions())
                .containsExactly(new Reaction(THUMBS, List.of("bob", "ann")), new Reaction(PARTY, List.of("ann")));
        assertThat(summary(bob, g, 2)).containsExactly(
                new Reaction(THUMBS, List.of("bob", "ann")), new Reaction(PARTY, List.of("ann")));
        assertThat(summary(ann, g, 1)).as("the SYSTEM line has none").isEmpty();
        assertThat(revision(bob, g)).isEqualTo(3);
        assertThat(bob.drainPushes(Reactions.ReactionChanged.class)).as("nothing back to the reacting connection")
                .allMatch(p -> p.user().equals("ann"));
    }

    @Test
    void addAndRemoveAreIdempotentAResendChangesNothingAndPushesNothing() throws IOException {
        long g = group();
        bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        var again = bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        assertThat(again.changed()).isFalse();
        assertThat(again.revision()).isEqualTo(1);
        assertThat(again.reactions()).containsExactly(new Reaction(THUMBS, List.of("bob")));
        var removed = bob.request(new Reactions.RemoveReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        assertThat(removed.changed()).isTrue();
        assertThat(removed.reactions()).isEmpty();
        var removedAgain = bob.request(new Reactions.RemoveReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        assertThat(removedAgain.changed()).isFalse();
        assertThat(removedAgain.revision()).isEqualTo(2);
        // ann's connection got exactly the two changes: the resends were not pushed.
        ann.request(new Chat.FetchAfter(g, 0, 10), Chat.MessagePage.class); // a round trip: pushes before it are in
        assertThat(ann.drainPushes(Reactions.ReactionChanged.class)).extracting(Reactions.ReactionChanged::added)
                .containsExactly(true, false);
    }

    @Test
    void anOfflineMemberCatchesUpWithFetchReactionsFromTheRevisionItSaw() throws IOException {
        long g = group();
        bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        long seen = revision(ann, g);
        ann.close(); // offline now
        bob.request(new Reactions.AddReaction(g, 2, HEART), Reactions.ReactionChanged.class);
        bob.request(new Reactions.AddReaction(g, 1, PARTY), Reactions.ReactionChanged.class);
        bob.request(new Reactions.RemoveReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        ann = server.login("ann");
        assertThat(revision(ann, g)).isEqualTo(seen + 3);
        var updates = ann.request(new Reactions.FetchReactions(g, seen, 100), Reactions.ReactionUpdates.class);
        assertThat(updates.more()).isFalse();
        assertThat(updates.revision()).isEqualTo(seen + 3);
        assertThat(updates.messages()).containsExactly(
                new Reactions.MessageReactions(1, List.of(new Reaction(PARTY, List.of("bob")))),
                new Reactions.MessageReactions(2, List.of(new Reaction(HEART, List.of("bob")))));
        // Paged: one message a page, the revision to go on from in each.
        var first = ann.request(new Reactions.FetchReactions(g, seen, 1), Reactions.ReactionUpdates.class);
        assertThat(first.more()).isTrue();
        assertThat(first.messages()).extracting(Reactions.MessageReactions::seq).containsExactly(1L);
        var second = ann.request(new Reactions.FetchReactions(g, first.revision(), 1), Reactions.ReactionUpdates.class);
        assertThat(second.messages()).extracting(Reactions.MessageReactions::seq).containsExactly(2L);
        assertThat(ann.request(new Reactions.FetchReactions(g, second.revision(), 1), Reactions.ReactionUpdates.class)
                .messages()).isEmpty();
        // Limit 0: only the revision.
        var only = ann.request(new Reactions.FetchReactions(g, 0, 0), Reactions.ReactionUpdates.class);
        assertThat(only.messages()).isEmpty();
        assertThat(only.revision()).isEqualTo(seen + 3);
    }

    @Test
    void reactionsSurviveARestart() throws Exception {
        long g = group();
        bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        server.restart();
        TestConnection again = server.login("ann");
        assertThat(summary(again, g, 2)).containsExactly(new Reaction(THUMBS, List.of("bob")));
        assertThat(revision(again, g)).isEqualTo(1);
    }

    @Test
    void aNonMemberGetsUnknownConversationForEachRequestAndNothingChanges() throws IOException {
        long g = group();
        for (long id : List.of(g, 999_999L)) {
            for (Message m : List.of(new Reactions.AddReaction(id, 2, THUMBS), new Reactions.RemoveReaction(id, 2,
                    THUMBS), new Reactions.FetchReactions(id, 0, 10))) {
                assertThat(dan.error(m).code()).as(m.toString()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
            }
        }
        assertThat(summary(ann, g, 2)).isEmpty();
        assertThat(revision(ann, g)).isZero();
    }

    @Test
    void badEmojiAndBadSeqsAreRefusedInWordsAndChangeNothing() throws IOException {
        long g = group();
        for (String bad : List.of("", "ok", "1", THUMBS + THUMBS, THUMBS + " ", "\u202E" + THUMBS, "x".repeat(40),
                "\uD83D")) {
            var e = bob.error(new Reactions.AddReaction(g, 2, bad));
            assertThat(e.code()).as(bad).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.message()).as(bad).isNotBlank();
        }
        assertThat(bob.error(new Reactions.AddReaction(g, 3, THUMBS)).message()).contains("no message 3");
        assertThat(bob.error(new Reactions.AddReaction(g, 0, THUMBS)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bob.error(new Reactions.FetchReactions(g, 0, 501)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bob.error(new Reactions.FetchReactions(g, -1, 5)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(summary(ann, g, 2)).isEmpty();
        assertThat(revision(ann, g)).isZero();
    }

    @Test
    void theLimitsPerMessageAndPerUserAreSettings() throws IOException {
        long g = group();
        bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        bob.request(new Reactions.AddReaction(g, 2, PARTY), Reactions.ReactionChanged.class);
        var e = bob.error(new Reactions.AddReaction(g, 2, HEART));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.message()).contains("2 reactions");
        ann.request(new Reactions.AddReaction(g, 2, HEART), Reactions.ReactionChanged.class);
        var full = ann.error(new Reactions.AddReaction(g, 2, "\uD83D\uDE2E"));
        assertThat(full.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(full.message()).contains("3 different reactions");
        // An emoji already there may still be added by another user.
        ann.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        assertThat(summary(ann, g, 2)).extracting(Reaction::emoji).containsExactly(THUMBS, PARTY, HEART);
    }

    @Test
    void aVersion1ConnectionGetsNoReactionPushesAndNoSummaries() throws IOException {
        long g = group();
        TestConnection old = server.login("bob", 1);
        ann.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        bob.awaitPush(Reactions.ReactionChanged.class);
        Chat.MessagePage page = old.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class);
        assertThat(page.messages()).allMatch(m -> m.reactions().isEmpty());
        assertThat(old.drainPushes(Message.class)).noneMatch(p -> p instanceof Reactions.ReactionChanged);
    }
}
