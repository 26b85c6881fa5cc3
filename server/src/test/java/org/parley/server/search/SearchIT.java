package org.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Message search and FetchAround over real sockets: words, folding, prefixes, pages, who finds what, bad input. */
class SearchIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--search-max-results", "50");

    static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    static Chat.Sent send(TestConnection c, long conversation, String id, String text) {
        return c.request(new Chat.Send(conversation, id, Kind.TEXT, text, List.of()), Chat.Sent.class);
    }

    /** Searches until the answer satisfies {@code done} (the index takes in new messages shortly after a send). */
    static Search.SearchResults searchUntil(TestConnection c, Search.SearchMessages request,
            Predicate<Search.SearchResults> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Search.SearchResults r;
        do {
            r = c.request(request, Search.SearchResults.class);
            if (done.test(r)) {
                return r;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        return r;
    }

    static Search.SearchResults complete(TestConnection c, Search.SearchMessages request) {
        return searchUntil(c, request, Search.SearchResults::complete);
    }

    private static List<String> texts(Search.SearchResults r) {
        return r.hits().stream().map(h -> h.message().text()).toList();
    }

    private static List<String> highlighted(Search.SearchHit hit) {
        List<String> out = new ArrayList<>();
        for (Search.Highlight h : hit.highlights()) {
            String s = h.attachment() < 0 ? hit.message().text() : hit.message().attachments().get(h.attachment())
                    .name();
            out.add(s.substring(h.start(), h.end()));
        }
        return out;
    }

    @Test
    void wordsAreFoundWithAccentsFoldedAndAsPrefixesNewestFirstWithHighlights() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        send(ann, c, "m1", "Lunch at the Café Müller?");
        send(bob, c, "m2", "The deployment is done");
        send(ann, c, "m3", "Deploying again — cafe closed");
        send(bob, c, "m4", "Ελληνικά και русский текст; 東京で会いましょう");

        Search.SearchResults cafe = complete(bob, new Search.SearchMessages("CAFÉ", 0, "", 0));
        assertThat(texts(cafe)).as("newest first, case and accents ignored")
                .containsExactly("Deploying again — cafe closed", "Lunch at the Café Müller?");
        assertThat(highlighted(cafe.hits().get(1))).containsExactly("Café");
        assertThat(cafe.nextCursor()).isEmpty();

        Search.SearchResults deploy = bob.request(new Search.SearchMessages("deploy", c, "", 10),
                Search.SearchResults.class);
        assertThat(texts(deploy)).as("a prefix finds longer words").containsExactly(
                "Deploying again — cafe closed", "The deployment is done");
        assertThat(highlighted(deploy.hits().get(1))).containsExactly("deployment");

        assertThat(texts(ann.request(new Search.SearchMessages("muller lunch", 0, "", 0),
                Search.SearchResults.class))).as("every word, in any order").containsExactly(
                        "Lunch at the Café Müller?");
        assertThat(ann.request(new Search.SearchMessages("muller deploy", 0, "", 0), Search.SearchResults.class)
                .hits()).as("all words must be in one message").isEmpty();
        assertThat(texts(ann.request(new Search.SearchMessages("русск", 0, "", 0), Search.SearchResults.class)))
                .hasSize(1);
        assertThat(texts(ann.request(new Search.SearchMessages("ελληνικα", 0, "", 0), Search.SearchResults.class)))
                .as("Greek accents folded too").hasSize(1);
        Search.SearchResults tokyo = ann.request(new Search.SearchMessages("東京", 0, "", 0),
                Search.SearchResults.class);
        assertThat(texts(tokyo)).hasSize(1);
        assertThat(highlighted(tokyo.hits().get(0))).containsExactly("東", "京");
    }

    @Test
    void pagesFollowTheCursorThroughEveryHitOnceNewestFirst() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob").close();
        long c = direct(ann, "bob");
        for (int i = 1; i <= 120; i++) {
            send(ann, c, "p" + i, "status report number " + i);
            if (i % 10 == 0) {
                send(ann, c, "x" + i, "unrelated chatter");
            }
        }
        List<Long> seqs = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        complete(ann, new Search.SearchMessages("report", 0, "", 1));
        do {
            Search.SearchResults page = ann.request(new Search.SearchMessages("report", c, cursor, 50),
                    Search.SearchResults.class);
            page.hits().forEach(h -> seqs.add(h.message().seq()));
            cursor = page.nextCursor();
            pages++;
        } while (!cursor.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seqs).hasSize(120).doesNotHaveDuplicates();
        assertThat(seqs).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void onlyConversationsTheCallerIsAMemberOfNowAreSearched() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection cat = server.register("cat");
        TestConnection eve = server.register("eve");
        long group = ann.request(new Conversations.CreateGroup("Plans", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();
        long annBob = direct(ann, "bob");
        send(ann, group, "g1", "the secret plan is ready");
        send(ann, annBob, "d1", "secret between us");
        assertThat(complete(cat, new Search.SearchMessages("secret", 0, "", 0)).hits()).hasSize(1);
        assertThat(complete(bob, new Search.SearchMessages("secret", 0, "", 0)).hits()).hasSize(2);

        assertThat(complete(eve, new Search.SearchMessages("secret", 0, "", 0)).hits())
                .as("a stranger finds nothing").isEmpty();
        assertThat(eve.error(new Search.SearchMessages("secret", group, "", 0)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(eve.error(new Search.FetchAround(group, 1, 5, 5)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);

        ann.request(new Conversations.RemoveMember(group, "cat"), Session.Ok.class);
        assertThat(cat.request(new Search.SearchMessages("secret", 0, "", 0), Search.SearchResults.class).hits())
                .as("a removed member no longer finds the group's messages").isEmpty();
        assertThat(cat.error(new Search.SearchMessages("secret", group, "", 0)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(cat.error(new Search.FetchAround(group, 1, 5, 5)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(bob.request(new Search.SearchMessages("secret", 0, "", 0), Search.SearchResults.class).hits())
                .hasSize(2);
    }

    @Test
    void fileNamesAndCaptionsAreFound() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] content = "quarterly numbers".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Transfers.UploadReady ready = ann.request(new Transfers.UploadStart(c, "u1", "Budget_Überblick.2026.xlsx",
                "application/vnd.ms-excel", content.length, sha, false), Transfers.UploadReady.class);
        ann.request(new Transfers.UploadChunk(ready.uploadId(), 0, content), Session.Ok.class);
        ann.request(new Transfers.UploadFinish(ready.uploadId(), "numbers for the board", 0, 0, 0, new byte[0]),
                Transfers.UploadDone.class);

        Search.SearchResults byName = complete(bob, new Search.SearchMessages("uberblick 2026", 0, "", 0));
        assertThat(byName.hits()).hasSize(1);
        assertThat(highlighted(byName.hits().get(0))).containsExactly("Überblick", "2026");
        assertThat(byName.hits().get(0).highlights()).allSatisfy(h -> assertThat(h.attachment()).isZero());
        assertThat(bob.request(new Search.SearchMessages("xlsx", 0, "", 0), Search.SearchResults.class).hits())
                .hasSize(1);
        Search.SearchResults byCaption = bob.request(new Search.SearchMessages("board budget", 0, "", 0),
                Search.SearchResults.class);
        assertThat(byCaption.hits()).as("caption and file name together").hasSize(1);
        assertThat(byCaption.hits().get(0).message().kind()).isEqualTo(Kind.FILE);
    }

    @Test
    void fetchAroundOpensAHistoryInItsMiddle() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        for (int i = 1; i <= 600; i++) {
            send(ann, c, "a" + i, "line " + i);
        }
        Search.AroundPage page = bob.request(new Search.FetchAround(c, 300, 3, 2), Search.AroundPage.class);
        assertThat(page.messages()).extracting(Chat.ChatMessage::seq).containsExactly(297L, 298L, 299L, 300L, 301L,
                302L);
        assertThat(page.moreBefore()).isTrue();
        assertThat(page.moreAfter()).isTrue();

        Search.AroundPage start = bob.request(new Search.FetchAround(c, 2, 5, 0), Search.AroundPage.class);
        assertThat(start.messages()).extracting(Chat.ChatMessage::seq).containsExactly(1L, 2L);
        assertThat(start.moreBefore()).isFalse();
        assertThat(start.moreAfter()).isTrue();
        Search.AroundPage end = bob.request(new Search.FetchAround(c, 599, 0, 250), Search.AroundPage.class);
        assertThat(end.messages()).extracting(Chat.ChatMessage::seq).containsExactly(599L, 600L);
        assertThat(end.moreAfter()).isFalse();
        assertThat(end.moreBefore()).isTrue();

        assertThat(bob.error(new Search.FetchAround(c, 300, 251, 0)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bob.error(new Search.FetchAround(c, 300, 0, -1)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bob.error(new Search.FetchAround(c, 0, 1, 1)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void badQueriesGetClearErrors() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob").close();
        long c = direct(ann, "bob");
        send(ann, c, "m1", "hello");
        assertThat(ann.error(new Search.SearchMessages("  ", 0, "", 0)).message()).contains("no words");
        assertThat(ann.error(new Search.SearchMessages("!?—", 0, "", 0)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Search.SearchMessages("x".repeat(201), 0, "", 0)).message()).contains("200");
        assertThat(ann.error(new Search.SearchMessages("a b c d e f g h i j k l m n o p q", 0, "", 0)).message())
                .contains("16 words");
        assertThat(ann.error(new Search.SearchMessages("hello", 0, "", 51)).code()).isEqualTo(
                ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Search.SearchMessages("hello", 0, "", -1)).code()).isEqualTo(
                ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Search.SearchMessages("hello", 0, "not-a-cursor", 0)).message()).contains("cursor");
        assertThat(ann.error(new Search.SearchMessages("hello", 0, "1.2", 0)).code()).isEqualTo(
                ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Search.SearchMessages("hello", -5, "", 0)).code()).isEqualTo(
                ErrorCode.INVALID_ARGUMENT);
        assertThat(complete(ann, new Search.SearchMessages("hello", 0, "", 0)).hits()).as("still served").hasSize(1);
    }
}
