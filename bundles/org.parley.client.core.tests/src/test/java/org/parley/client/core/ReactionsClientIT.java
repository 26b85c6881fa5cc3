package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Reactions.Reaction;
import org.parley.server.testing.ParleyServerExtension;

/** The client core's reactions against a real server: add, remove, the live event, and catching up. */
class ReactionsClientIT {

    private static final String THUMBS = "\uD83D\uDC4D";
    private static final String HEART = "\u2764\uFE0F";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private ParleyClient ann;
    private ParleyClient bob;

    /** The summaries a client's listener was told, by seq (what a UI would show). */
    static final class Shown implements ClientListener {
        final Map<Long, List<Reaction>> bySeq = new ConcurrentHashMap<>();

        @Override
        public void reactionsChanged(long conversationId, long seq, List<Reaction> reactions) {
            bySeq.put(seq, reactions);
        }
    }

    private ParleyClient client(ClientListener listener, long backoffMillis) {
        return clients.open(clients.config().backoff(backoffMillis, backoffMillis), listener);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aReactionIsToldToBothClientsAndARemovalToo() throws Exception {
        Shown annSees = new Shown();
        Shown bobSees = new Shown();
        ann = client(annSees, 50);
        bob = client(bobSees, 50);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        long seq = get(ann.send(c, "lunch?")).seq();

        Reactions.ReactionChanged mine = get(bob.addReaction(c, seq, THUMBS));
        assertThat(mine.reactions()).containsExactly(new Reaction(THUMBS, List.of("bob")));
        Recorder.await("bob's own change told", () -> List.of(new Reaction(THUMBS, List.of("bob")))
                .equals(bobSees.bySeq.get(seq)));
        Recorder.await("ann told live", () -> List.of(new Reaction(THUMBS, List.of("bob")))
                .equals(annSees.bySeq.get(seq)));
        assertThat(get(ann.fetchBefore(c, 0, 10)).messages().get(0).reactions())
                .containsExactly(new Reaction(THUMBS, List.of("bob")));

        get(bob.removeReaction(c, seq, THUMBS));
        Recorder.await("ann told of the removal", () -> annSees.bySeq.get(seq).isEmpty());

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(bob.addReaction(c, seq, "not an emoji")));
        assertThat(((ParleyClientException) e.getCause()).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aClientThatWasOfflineLearnsOfTheChangesMadeMeanwhileWhenItReconnects() throws Exception {
        Shown annSees = new Shown();
        Recorder bobState = new Recorder();
        Shown bobSees = new Shown();
        ann = client(annSees, 50);
        bob = client(bobSees, 3000); // offline for a while after the drop: the changes below happen meanwhile
        bob.addListener(bobState);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        long first = get(ann.send(c, "one")).seq();
        long second = get(ann.send(c, "two")).seq();
        get(ann.addReaction(c, first, THUMBS));
        Recorder.await("bob told live", () -> bobSees.bySeq.containsKey(first));

        bob.dropConnection();
        bobState.awaitState(ConnectionState.RECONNECTING);
        get(ann.addReaction(c, second, HEART));
        get(ann.removeReaction(c, first, THUMBS));
        bobState.awaitState(ConnectionState.ONLINE);

        Recorder.await("bob caught up with the removal", () -> bobSees.bySeq.get(first).isEmpty());
        Recorder.await("bob caught up with the addition", () -> List.of(new Reaction(HEART, List.of("ann")))
                .equals(bobSees.bySeq.get(second)));
    }
}
