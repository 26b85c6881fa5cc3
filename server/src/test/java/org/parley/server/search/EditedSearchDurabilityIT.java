package org.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.TestConnection;

/**
 * The index follows edits and deletions also across a crash: messages are indexed and committed, then edited and
 * deleted, and the server is killed with SIGKILL at once (the index's next commit not yet made); started again on
 * the same data, search finds the edited text, not the old one, and nothing of the deleted message.
 */
class EditedSearchDurabilityIT {

    @TempDir
    Path tmp;

    private static final List<String> FAST = List.of("--requests-per-second", "100000", "--request-burst", "100000",
            "--search-commit-seconds", "1");

    @Test
    void editsAndDeletionsAreInTheIndexAfterAKill() throws Exception {
        Path data = tmp.resolve("data");
        long conversation;
        ChildServer first = ChildServer.start(data, tmp.resolve("first.log"), List.of(), FAST);
        try {
            TestConnection ann = connect(first, new Accounts.Register("ann", "password-ann", "Ann", "test", ""));
            connect(first, new Accounts.Register("bob", "password-bob", "Bob", "test", "")).close();
            conversation = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class)
                    .id();
            long one = ann.request(send(conversation, "m1", "walrus tusks"), Chat.Sent.class).seq();
            long two = ann.request(send(conversation, "m2", "narwhal horn"), Chat.Sent.class).seq();
            assertThat(EditDeleteSearch.found(ann, "walrus")).containsExactly(one);
            Thread.sleep(2500); // committed to the index (search-commit-seconds 1)
            ann.request(new Chat.Edit(conversation, one, "e1", "seal whiskers"), Chat.Sent.class);
            ann.request(new Chat.Delete(conversation, two, "d1"), Chat.Sent.class);
            first.kill();
        } finally {
            first.kill();
        }
        try (ChildServer second = ChildServer.start(data, tmp.resolve("second.log"), List.of(), FAST)) {
            TestConnection bob = connect(second, new Accounts.Login("bob", "password-bob", "test"));
            assertThat(EditDeleteSearch.found(bob, "seal")).containsExactly(1L);
            assertThat(EditDeleteSearch.found(bob, "walrus")).isEmpty();
            assertThat(EditDeleteSearch.found(bob, "narwhal")).isEmpty();
        }
    }

    /** Searching until the index holds everything stored. */
    static final class EditDeleteSearch {
        static List<Long> found(TestConnection c, String query) {
            Search.SearchResults r = SearchIT.complete(c, new Search.SearchMessages(query, 0, "", 100));
            assertThat(r.complete()).isTrue();
            return r.hits().stream().map(h -> h.message().seq()).toList();
        }
    }

    private static Chat.Send send(long conversation, String id, String text) {
        return new Chat.Send(conversation, id, Kind.TEXT, text, List.of());
    }

    private static TestConnection connect(ChildServer s, Message login) throws Exception {
        TestConnection c = TestConnection.open("127.0.0.1", s.port(), false);
        c.request(new Session.Hello(1, 2, "test"), Session.Welcome.class);
        c.request(login, Accounts.LoggedIn.class);
        return c;
    }
}
