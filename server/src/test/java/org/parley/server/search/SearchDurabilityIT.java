package org.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * The index never silently misses a message: a child server is killed with SIGKILL in the middle of a burst of
 * sends (part of the index committed, part only in memory, part not yet indexed), started again on the same data,
 * and every message that had been acknowledged is found; with the messages in the SQL table and in the MVStore log.
 */
class SearchDurabilityIT {

    @TempDir
    Path tmp;

    private static final List<String> FAST = List.of("--requests-per-second", "100000", "--request-burst", "100000",
            "--search-commit-seconds", "1", "--search-max-results", "1000");

    @ParameterizedTest(name = "message-log={0}")
    @ValueSource(strings = {"sql", "mvstore"})
    void everyAcknowledgedMessageIsFoundAfterAKillMidBurst(String messageLog) throws Exception {
        List<String> flags = new ArrayList<>(FAST);
        flags.addAll(List.of("--message-log", messageLog));
        Path data = tmp.resolve("data");
        Set<Long> acknowledged = new HashSet<>();
        long conversation;
        ChildServer first = ChildServer.start(data, tmp.resolve("first.log"), List.of(), flags);
        try {
            TestConnection ann = connect(first, new Accounts.Register("ann", "password-ann", "Ann", "test", ""));
            connect(first, new Accounts.Register("bob", "password-bob", "Bob", "test", "")).close();
            conversation = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class)
                    .id();
            // A first part, given time to be committed to the index (search-commit-seconds 1).
            for (int i = 0; i < 300; i++) {
                acknowledged.add(ann.request(send(conversation, "early" + i), Chat.Sent.class).seq());
            }
            Thread.sleep(2500);
            // Then a burst, pipelined; the server is killed while it is being written and indexed.
            List<CompletableFuture<Message>> burst = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                try {
                    burst.add(ann.callAsync(send(conversation, "burst" + i)));
                } catch (RuntimeException e) {
                    break; // the server is gone
                }
                if (i == 1500) {
                    // mid-burst: once the first hundred of the burst are acknowledged (so that some of it is
                    // acknowledged however slow the machine), with well over a thousand still unanswered
                    burst.get(99).get(60, TimeUnit.SECONDS);
                    first.kill();
                }
            }
            for (CompletableFuture<Message> f : burst) {
                try {
                    if (f.get(30, TimeUnit.SECONDS) instanceof Chat.Sent s) {
                        acknowledged.add(s.seq());
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // the connection died: not acknowledged
                }
            }
            ann.close();
        } finally {
            first.kill();
        }
        assertThat(acknowledged).as("some of the burst was acknowledged").hasSizeGreaterThan(300);

        try (ChildServer second = ChildServer.start(data, tmp.resolve("second.log"), List.of(), flags)) {
            TestConnection bob = connect(second, new Accounts.Login("bob", "password-bob", "test"));
            Search.SearchMessages query = new Search.SearchMessages("searchable", 0, "", 1000);
            SearchIT.complete(bob, query);
            Set<Long> found = new HashSet<>();
            String cursor = "";
            do {
                Search.SearchResults page = bob.request(new Search.SearchMessages("searchable", conversation,
                        cursor, 1000), Search.SearchResults.class);
                assertThat(page.complete()).isTrue();
                page.hits().forEach(h -> found.add(h.message().seq()));
                cursor = page.nextCursor();
            } while (!cursor.isEmpty());
            assertThat(found).as("every acknowledged message is found").containsAll(acknowledged);
            long last = bob.request(new Chat.FetchBefore(conversation, 0, 1), Chat.MessagePage.class).messages()
                    .get(0).seq();
            assertThat(found).as("and every stored one, exactly once").hasSize((int) last);
        }
    }

    private static Chat.Send send(long conversation, String id) {
        return new Chat.Send(conversation, id, Kind.TEXT, "searchable message " + id, List.of());
    }

    private static TestConnection connect(ChildServer s, Message login) throws Exception {
        TestConnection c = TestConnection.open("127.0.0.1", s.port(), false);
        c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class);
        c.request(login, Accounts.LoggedIn.class);
        return c;
    }
}
