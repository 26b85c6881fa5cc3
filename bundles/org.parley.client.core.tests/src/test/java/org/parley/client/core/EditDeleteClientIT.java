package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.server.testing.ParleyServerExtension;

/** Editing and deleting through the client core: the methods, the listener events, live and after a resync. */
class EditDeleteClientIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void editsAndDeletionsReachBothSidesAsEventsNotAsMessages() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(annEvents);
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        Chat.Sent hi = get(ann.send(c, "hi Bob"));
        Chat.Sent two = get(ann.send(c, "second"));
        bobEvents.awaitTexts(c, 2);

        Chat.Sent edit = get(ann.editMessage(c, hi.seq(), "hi Bob!"));
        Recorder.await("bob hears the edit", () -> bobEvents.edits.size() == 1);
        Chat.ChatMessage e = bobEvents.edits.get(0);
        assertThat(e.targetSeq()).isEqualTo(hi.seq());
        assertThat(e.text()).isEqualTo("hi Bob!");
        assertThat(e.timestamp()).isEqualTo(edit.timestamp());
        Recorder.await("ann hears her own edit", () -> annEvents.edits.size() == 1);
        assertThat(annEvents.edits.get(0).targetSeq()).isEqualTo(hi.seq());

        get(ann.deleteMessage(c, two.seq()));
        Recorder.await("bob hears the deletion", () -> bobEvents.deletions.size() == 1);
        assertThat(bobEvents.deletions.get(0).targetSeq()).isEqualTo(two.seq());
        Recorder.await("ann hears her own deletion", () -> annEvents.deletions.size() == 1);

        get(ann.send(c, "after"));
        bobEvents.awaitTexts(c, 3);
        assertThat(bobEvents.messages).as("entries are not messages to show").extracting(Chat.ChatMessage::text)
                .containsExactly("hi Bob", "second", "after");
        bobEvents.assertOrderedWithoutDuplicates();
        assertThat(get(bob.deliveredUpTo(c))).as("the entries moved the cursor").isEqualTo(5);

        assertThatThrownBy(() -> get(bob.editMessage(c, hi.seq(), "bob was here")))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(
                        ParleyClientException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.FORBIDDEN));
        Thread.sleep(200);
        assertThat(annEvents.edits).as("reported once").hasSize(1);
        assertThat(annEvents.deletions).hasSize(1);
    }

    @Test
    void aClientThatWasOfflineHearsTheEditsAndDeletionsWhenItResyncs() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(annEvents);
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        Chat.Sent one = get(ann.send(c, "one"));
        Chat.Sent two = get(ann.send(c, "two"));
        bobEvents.awaitTexts(c, 2);

        bob.close(); // bob goes offline
        get(ann.editMessage(c, one.seq(), "e1", "one, edited"));
        assertThat(get(ann.editMessage(c, one.seq(), "e1", "one, edited")).duplicate()).as("a resend").isTrue();
        get(ann.deleteMessage(c, two.seq()));

        // bob comes back on a new client: its resync (FetchAfter from his delivered mark) brings both entries.
        Recorder backEvents = new Recorder();
        ParleyClient back = clients.open(backEvents);
        get(back.login("bob", "password-bob"));
        Recorder.await("bob has both", () -> backEvents.edits.size() == 1 && backEvents.deletions.size() == 1);
        assertThat(backEvents.edits.get(0).text()).isEqualTo("one, edited");
        assertThat(backEvents.edits.get(0).targetSeq()).isEqualTo(one.seq());
        assertThat(backEvents.deletions.get(0).targetSeq()).isEqualTo(two.seq());
        assertThat(backEvents.messages).extracting(Chat.ChatMessage::kind).doesNotContain(Chat.Kind.EDIT,
                Chat.Kind.DELETE);

        // The history it fetches shows the current state.
        List<Chat.ChatMessage> history = get(back.fetchBefore(c, 0, 50)).messages();
        assertThat(history).filteredOn(m -> m.seq() == one.seq()).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("one, edited"))
                .satisfies(m -> assertThat(m.editedAt()).isPositive());
        assertThat(history).filteredOn(m -> m.seq() == two.seq()).singleElement()
                .satisfies(m -> assertThat(m.deleted()).isTrue());
    }
}
