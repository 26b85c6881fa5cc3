package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

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

/**
 * Replies ({@code Send.replyTo}, {@code ChatMessage.replyTo}): stored, pushed, fetched and resent with the seq they
 * answer; a replyTo that names no message of the conversation (another conversation's, one beyond the newest, a
 * negative one) and a non-member's reply refused in words with nothing stored; version 1 clients get the reply as a
 * plain message.
 */
class RepliesIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--requests-per-second",
            "100000", "--request-burst", "100000"));

    /** The storage the server runs on: H2 here; {@link RepliesOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    private static Chat.Send reply(long conversation, String id, String text, long replyTo) {
        return new Chat.Send(conversation, id, Kind.TEXT, text, List.of(), replyTo);
    }

    private static long group(TestConnection creator, String title, String... members) {
        return creator.request(new Conversations.CreateGroup(title, List.of(members)),
                Conversations.ConversationInfo.class).id();
    }

    @Test
    void aReplyIsStoredPushedFetchedAndResentWithTheMessageItAnswers() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long g = group(ann, "team", "bob");
        long question = ann.request(new Chat.Send(g, "q", Kind.TEXT, "Lunch at noon?\nOr later?", List.of()),
                Chat.Sent.class).seq();
        bob.awaitPush(Chat.NewMessage.class, m -> m.message().seq() == question);

        Chat.Sent sent = bob.request(reply(g, "r", "Noon is fine", question), Chat.Sent.class);
        Chat.ChatMessage pushed = ann.awaitPush(Chat.NewMessage.class, m -> m.message().seq() == sent.seq())
                .message();
        assertThat(pushed.replyTo()).isEqualTo(question);
        assertThat(pushed.text()).isEqualTo("Noon is fine");

        assertThat(ann.request(new Chat.FetchAfter(g, 0, 50), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::seq, Chat.ChatMessage::replyTo)
                .contains(org.assertj.core.groups.Tuple.tuple(question, 0L),
                        org.assertj.core.groups.Tuple.tuple(sent.seq(), question));
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 1), Chat.MessagePage.class).messages().get(0).replyTo())
                .isEqualTo(question);
        assertThat(ann.request(new Search.FetchAround(g, sent.seq(), 0, 0), Search.AroundPage.class).messages())
                .extracting(Chat.ChatMessage::replyTo).containsExactly(question);
        // The original alone, as a client fetches it for the quote when it is not loaded.
        assertThat(bob.request(new Search.FetchAround(g, question, 0, 0), Search.AroundPage.class).messages())
                .extracting(Chat.ChatMessage::text).containsExactly("Lunch at noon?\nOr later?");

        Chat.Sent again = bob.request(reply(g, "r", "Noon is fine", question), Chat.Sent.class);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(sent.seq());
    }

    @Test
    void aReplyToAMessageOfAnotherConversationOrToNoneIsRefusedAndNothingIsStored() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long busy = group(ann, "busy", "bob");
        for (int i = 1; i <= 10; i++) {
            ann.request(new Chat.Send(busy, "b" + i, Kind.TEXT, "busy " + i, List.of()), Chat.Sent.class);
        }
        long quiet = group(ann, "quiet", "bob"); // seq 1: its SYSTEM line
        long lastBusy = ann.request(new Chat.FetchBefore(busy, 0, 1), Chat.MessagePage.class).messages().get(0).seq();
        assertThat(lastBusy).isGreaterThan(2);

        // seq lastBusy exists in "busy" only: replying to it in "quiet" names no message of "quiet".
        Session.ErrorReply other = ann.error(reply(quiet, "x1", "about that", lastBusy));
        assertThat(other.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(other.message()).contains("replyTo " + lastBusy).contains("conversation " + quiet);
        Session.ErrorReply beyond = ann.error(reply(busy, "x2", "from the future", lastBusy + 1));
        assertThat(beyond.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(reply(busy, "x3", "negative", -1)).message()).contains("negative");

        assertThat(ann.request(new Chat.FetchAfter(quiet, 0, 50), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::kind).containsExactly(Kind.SYSTEM);
        assertThat(ann.request(new Chat.FetchBefore(busy, 0, 1), Chat.MessagePage.class).messages().get(0).seq())
                .isEqualTo(lastBusy);
        // The refused client ids were not used: the same ids go through once the reply is right.
        assertThat(ann.request(reply(quiet, "x1", "about that", 1), Chat.Sent.class).duplicate()).isFalse();
        assertThat(bob.drainPushes(Chat.NewMessage.class)).extracting(p -> p.message().text())
                .doesNotContain("from the future", "negative");
    }

    /** Uploads {@code content} as {@code name} in one chunk; returns the upload's id, ready to finish. */
    private static String uploaded(TestConnection c, long conversation, String clientId, String name, byte[] content)
            throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content));
        Transfers.UploadReady ready = c.request(new Transfers.UploadStart(conversation, clientId, name, "text/plain",
                content.length, sha, false), Transfers.UploadReady.class);
        c.request(new Transfers.UploadChunk(ready.uploadId(), 0, content), Session.Ok.class);
        return ready.uploadId();
    }

    @Test
    void aFileFinishedWithReplyToIsAReplyAndABadReplyToKeepsTheUploadToFinishAgain() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long g = group(ann, "team", "bob");
        long other = group(ann, "other", "bob");
        long question = bob.request(new Chat.Send(g, "q", Kind.TEXT, "Where are the notes?", List.of()),
                Chat.Sent.class).seq();
        for (int i = 0; i < 5; i++) {
            ann.request(new Chat.Send(other, "o" + i, Kind.TEXT, "elsewhere " + i, List.of()), Chat.Sent.class);
        }

        String upload = uploaded(ann, g, "f1", "notes.txt", "the notes\n".getBytes());
        long before = ann.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class).messages().size();
        assertThat(ann.error(new Transfers.UploadFinish(upload, "here", 0, 0, 0, new byte[0], question + 5)))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.message()).contains("replyTo " + (question + 5)).contains("names no message");
                });
        assertThat(ann.error(new Transfers.UploadFinish(upload, "here", 0, 0, 0, new byte[0], -1)).message())
                .contains("replyTo cannot be negative");
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class).messages())
                .as("nothing posted").hasSize((int) before);

        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(upload, "here", 0, 0, 0, new byte[0],
                question), Transfers.UploadDone.class);
        Chat.ChatMessage pushed = bob.awaitPush(Chat.NewMessage.class, m -> m.message().conversationId() == g
                && m.message().seq() == done.sent().seq())
                .message();
        assertThat(pushed.kind()).isEqualTo(Kind.FILE);
        assertThat(pushed.replyTo()).isEqualTo(question);
        assertThat(pushed.text()).isEqualTo("here");
        assertThat(pushed.attachments()).extracting(Chat.Attachment::name).containsExactly("notes.txt");
        assertThat(bob.request(new Chat.FetchBefore(g, 0, 1), Chat.MessagePage.class).messages().get(0).replyTo())
                .isEqualTo(question);
        assertThat(bob.request(new Search.FetchAround(g, done.sent().seq(), 0, 0), Search.AroundPage.class)
                .messages()).extracting(Chat.ChatMessage::replyTo).containsExactly(question);

        Transfers.UploadDone again = ann.request(new Transfers.UploadFinish(upload, "here", 0, 0, 0, new byte[0],
                question), Transfers.UploadDone.class);
        assertThat(again.sent().duplicate()).isTrue();
        assertThat(again.sent().seq()).isEqualTo(done.sent().seq());

        // A file that answers nothing, as before (and as every version 1 client's).
        Transfers.UploadDone plain = ann.request(new Transfers.UploadFinish(uploaded(ann, g, "f2", "more.txt",
                "more\n".getBytes()), "", 0, 0, 0, new byte[0]), Transfers.UploadDone.class);
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 1), Chat.MessagePage.class).messages().get(0))
                .satisfies(m -> {
                    assertThat(m.seq()).isEqualTo(plain.sent().seq());
                    assertThat(m.replyTo()).isZero();
                });
    }

    @Test
    void aNonMemberCannotReplyNorFetchTheOriginal() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob").close();
        TestConnection eve = server.register("eve");
        long g = group(ann, "team", "bob");
        long question = ann.request(new Chat.Send(g, "q", Kind.TEXT, "secret plan", List.of()), Chat.Sent.class)
                .seq();
        Session.ErrorReply hers = eve.error(reply(g, "e1", "me too", question));
        Session.ErrorReply none = eve.error(reply(g + 1000, "e1", "me too", question));
        assertThat(hers.code()).isEqualTo(none.code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(eve.error(new Search.FetchAround(g, question, 0, 0)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 1), Chat.MessagePage.class).messages().get(0).seq())
                .isEqualTo(question);
    }

    @Test
    void aVersion1ClientGetsARepliesTextAndCannotSendOne() throws IOException {
        server.register("ann").close();
        server.register("bob").close();
        TestConnection ann = server.login("ann", 2);
        TestConnection old = server.login("bob", 1);
        long g = group(ann, "team", "bob");
        old.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g);
        long question = ann.request(new Chat.Send(g, "q", Kind.TEXT, "ship it?", List.of()), Chat.Sent.class).seq();
        ann.request(reply(g, "r", "yes, ship it", question), Chat.Sent.class);
        Chat.ChatMessage seenByOld = old.awaitPush(Chat.NewMessage.class,
                m -> m.message().text().equals("yes, ship it")).message();
        assertThat(seenByOld.replyTo()).as("not on a version 1 wire").isZero();
        // A version 1 Send has no replyTo: encoded without it, it is stored as a plain message.
        long plain = old.request(reply(g, "o", "ok", question), Chat.Sent.class).seq();
        assertThat(ann.request(new Search.FetchAround(g, plain, 0, 0), Search.AroundPage.class).messages().get(0)
                .replyTo()).isZero();
    }
}
