package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Search;
import org.parley.server.testing.ParleyServerExtension;

/** The client core's message search and FetchAround against a real server. */
class SearchMessagesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private ParleyClient ann;
    private ParleyClient bob;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void searchFindsPagesAndOpensAroundAHit() throws Exception {
        ann = clients.open();
        bob = clients.open();
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        for (int i = 1; i <= 30; i++) {
            get(ann.send(c, i == 17 ? "the Überraschung is ready" : "filler " + i));
        }
        Search.SearchResults found;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            found = get(bob.searchMessages("uberrasch", 0, "", 0));
            if (found.complete() || System.nanoTime() > deadline) {
                break;
            }
            // searchable within search-refresh-millis under load; searches are costly requests (10 a second)
            Thread.sleep(200);
        }
        assertThat(found.hits()).singleElement().satisfies(h -> {
            assertThat(h.message().seq()).isEqualTo(17);
            assertThat(h.highlights()).containsExactly(new Search.Highlight(-1, 4, 16));
        });

        Search.AroundPage around = get(bob.fetchAround(c, 17, 2, 2));
        assertThat(around.messages()).extracting(Chat.ChatMessage::seq).containsExactly(15L, 16L, 17L, 18L, 19L);

        Search.SearchResults page1 = get(bob.searchMessages("filler", c, "", 10));
        Search.SearchResults page2 = get(bob.searchMessages("filler", c, page1.nextCursor(), 10));
        assertThat(page1.hits().get(0).message().seq()).isEqualTo(30);
        assertThat(page2.hits().get(0).message().seq()).isEqualTo(20);

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(bob.searchMessages("   ", 0, "", 0)));
        assertThat(((ParleyClientException) e.getCause()).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
