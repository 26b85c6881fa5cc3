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
import org.parley.protocol.message.Reactions;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** A user's reaction changes are limited per minute (a toggling client cannot flood a group's members). */
class ReactionRateIT {

    private static final String THUMBS = "\uD83D\uDC4D";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--reactions-per-minute", "4");

    @Test
    void changesBeyondTheUsersBudgetAreRateLimitedAndChangeNothing() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob")),
                Conversations.ConversationInfo.class).id();
        ann.request(new Chat.Send(g, "m1", Kind.TEXT, "toggle me", List.of()), Chat.Sent.class);
        for (int i = 0; i < 2; i++) {
            bob.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
            bob.request(new Reactions.RemoveReaction(g, 2, THUMBS), Reactions.ReactionChanged.class);
        }
        var e = bob.error(new Reactions.AddReaction(g, 2, THUMBS));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.message()).contains("4 reaction changes a minute");
        // The budget is the user's, not the connection's: a second connection of bob's is limited too.
        TestConnection again = server.login("bob");
        assertThat(again.error(new Reactions.AddReaction(g, 2, THUMBS)).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        // ann has her own.
        assertThat(ann.request(new Reactions.AddReaction(g, 2, THUMBS), Reactions.ReactionChanged.class).reactions())
                .containsExactly(new Reactions.Reaction(THUMBS, List.of("ann")));
    }
}
