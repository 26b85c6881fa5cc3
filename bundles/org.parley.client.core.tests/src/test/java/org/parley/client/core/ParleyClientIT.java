package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.server.testing.ParleyServerExtension;

/** The client core against a real server: login, messaging, reconnect and resync. */
class ParleyClientIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    @TempDir
    Path home;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void manyClientsShareTwoThreadsAndStillTalk() throws Exception {
        var connector = ParleyClient.newConnector(1);
        var threads = java.util.concurrent.Executors.newScheduledThreadPool(2);
        try {
            List<ParleyClient> shared = new ArrayList<>();
            List<Recorder> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Recorder r = new Recorder();
                ParleyClient c = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port()).plaintext(),
                        connector, threads);
                c.addListener(r);
                shared.add(c);
                events.add(r);
                get(c.register("user" + i, "password-" + i, "User " + i));
            }
            for (int i = 0; i < 10; i++) {
                long c = get(shared.get(i).openDirect("user" + ((i + 1) % 10))).id();
                for (int k = 0; k < 20; k++) {
                    shared.get(i).send(c, "m" + k);
                }
            }
            for (Recorder r : events) {
                Recorder.await("20 messages", () -> r.messages.size() >= 20);
                r.assertOrderedWithoutDuplicates();
                assertThat(r.messages).extracting(Chat.ChatMessage::text).containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 20).mapToObj(k -> "m" + k).toList());
            }
            shared.forEach(ParleyClient::close);
        } finally {
            connector.dispose(true);
            threads.shutdownNow();
        }
    }

    @Test
    void registerLoginAndAWrongPassword() throws Exception {
        Recorder r = new Recorder();
        ParleyClient ann = clients.open(r);
        assertThat(get(ann.register("ann", "password-ann", "Ann")).user()).isEqualTo("ann");
        assertThat(ann.state()).isEqualTo(ConnectionState.ONLINE);
        assertThat(r.states).containsSubsequence(ConnectionState.CONNECTING, ConnectionState.ONLINE);

        ParleyClient wrong = clients.open(new Recorder());
        assertThatThrownBy(() -> get(wrong.login("ann", "not the password")))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ParleyClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        Recorder.await("offline after a failed login", () -> wrong.state() == ConnectionState.OFFLINE);
        assertThat(get(wrong.login("ann", "password-ann")).user()).isEqualTo("ann");
    }

    @Test
    void twoClientsTalkOneToOneAndInAGroup() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(annEvents);
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));

        long direct = get(ann.openDirect("bob")).id();
        Chat.Sent sent = get(ann.send(direct, "hello bob"));
        bobEvents.awaitTexts(direct, 1);
        assertThat(bobEvents.messages.get(0).sender()).isEqualTo("ann");
        assertThat(bobEvents.messages.get(0).seq()).isEqualTo(sent.seq());
        assertThat(annEvents.sent).extracting(Chat.ChatMessage::text).containsExactly("hello bob");
        assertThat(annEvents.texts(direct)).as("own sends are not echoed as incoming").isEmpty();

        long group = get(bob.createGroup("pair", List.of("ann"))).id();
        get(bob.send(group, "group hello"));
        Recorder.await("group message", () -> annEvents.texts(group).contains("group hello"));

        List<Chat.ChatMessage> history = get(ann.fetchBefore(group, 0, 50)).messages();
        assertThat(history).extracting(Chat.ChatMessage::kind).containsExactly(Chat.Kind.SYSTEM, Chat.Kind.TEXT);
    }

    @Test
    void aReplyCarriesTheMessageItAnswersToBothSidesAndAWrongOneIsRefused() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(annEvents);
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long direct = get(ann.openDirect("bob")).id();
        long question = get(ann.send(direct, "lunch?")).seq();
        Chat.Sent answer = get(bob.send(direct, "r1", "yes", question));
        assertThat(bobEvents.sent).filteredOn(m -> m.seq() == answer.seq()).extracting(Chat.ChatMessage::replyTo)
                .as("the sender's own copy").containsExactly(question);
        Recorder.await("the reply at ann's", () -> annEvents.texts(direct).contains("yes"));
        assertThat(annEvents.messages).filteredOn(m -> m.text().equals("yes")).extracting(Chat.ChatMessage::replyTo)
                .containsExactly(question);
        assertThatThrownBy(() -> get(bob.send(direct, "r2", "to nothing", question + 50)))
                .hasCauseInstanceOf(ParleyClientException.class).hasMessageContaining("names no message");
    }

    @Test
    void theClientSpeaksVersion2AndSeesWhoIsAGroupsAdmin() throws Exception {
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(new Recorder());
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        assertThat(ann.protocolVersion()).isEqualTo(2);

        Conversations.ConversationInfo g = get(ann.createGroup("team", List.of("bob")));
        assertThat(g.members()).filteredOn(Conversations.Member::admin).extracting(Conversations.Member::user)
                .containsExactly("ann");
        assertThat(ann.mayManageMembers(g)).isTrue();
        Recorder.await("bob hears of the group",
                () -> bobEvents.conversations.stream().anyMatch(c -> c.id() == g.id()));
        assertThat(bob.mayManageMembers(g)).isFalse();
        assertThatThrownBy(() -> get(bob.removeMember(g.id(), "ann"))).cause()
                .isInstanceOfSatisfying(ParleyClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));

        get(ann.setRole(g.id(), "bob", Conversations.Role.ADMIN));
        Recorder.await("bob is told he is an admin", () -> bobEvents.conversations.stream()
                .anyMatch(c -> c.id() == g.id() && bob.isAdmin(c)));
        Conversations.ConversationInfo now = get(bob.listConversations()).stream().filter(c -> c.id() == g.id())
                .findFirst().orElseThrow();
        assertThat(bob.mayManageMembers(now)).isTrue();
        assertThat(bob.mayManageMembers(get(bob.openDirect("ann")))).as("not in a 1:1 chat").isFalse();
    }

    @Test
    void contactsAndPresenceFlowToListeners() throws Exception {
        Recorder annEvents = new Recorder();
        ParleyClient ann = clients.open(annEvents);
        ParleyClient bob = clients.open(new Recorder());
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        get(ann.requestContact("bob"));
        get(bob.answerContact("ann", true));
        assertThat(get(ann.listContacts()).contacts()).extracting(Contacts.UserInfo::user).containsExactly("bob");
        get(bob.setPresence(Contacts.Presence.AWAY, "coffee"));
        annEvents.awaitPresence(p -> p.user().equals("bob") && p.presence() == Contacts.Presence.AWAY);
    }

    @Test
    void aDroppedConnectionReconnectsAndCatchesUpWithoutGapsOrDuplicates() throws Exception {
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(new Recorder());
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        get(ann.send(c, "before 1"));
        get(ann.send(c, "before 2"));
        bobEvents.awaitTexts(c, 2);

        bob.dropConnection();
        bobEvents.awaitState(ConnectionState.RECONNECTING);
        List<CompletableFuture<Chat.Sent>> whileAway = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            whileAway.add(ann.send(c, "during " + i));
        }
        // Bob writes while he is disconnected: kept in his outbox and sent once he is back.
        CompletableFuture<Chat.Sent> bobsReply = bob.send(c, "bob was offline");
        for (var f : whileAway) {
            get(f);
        }
        bobEvents.awaitState(ConnectionState.ONLINE);
        get(ann.send(c, "after"));
        bobEvents.awaitTexts(c, 23);
        assertThat(get(bobsReply).duplicate()).isFalse();

        List<String> expected = new ArrayList<>(List.of("before 1", "before 2"));
        for (int i = 1; i <= 20; i++) {
            expected.add("during " + i);
        }
        expected.add("after");
        assertThat(bobEvents.texts(c)).containsExactlyElementsOf(expected);
        bobEvents.assertOrderedWithoutDuplicates();
        List<Chat.ChatMessage> stored = get(ann.fetchAfter(c, 0, 100)).messages();
        assertThat(stored).filteredOn(m -> m.text().equals("bob was offline")).hasSize(1);
    }

    @Test
    void aServerRestartIsRiddenOut() throws Exception {
        Recorder bobEvents = new Recorder();
        ParleyClient ann = clients.open(new Recorder());
        ParleyClient bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        get(ann.send(c, "one"));
        bobEvents.awaitTexts(c, 1);

        server.restart();
        bobEvents.awaitState(ConnectionState.RECONNECTING);
        bobEvents.awaitState(ConnectionState.ONLINE);
        Recorder.await("ann back online", () -> ann.state() == ConnectionState.ONLINE);
        get(ann.send(c, "two"));
        bobEvents.awaitTexts(c, 2);
        assertThat(bobEvents.texts(c)).containsExactly("one", "two");
    }

    @Test
    void aNewDeviceGetsWhatItsUserMissedButNotOldHistoryAsNew() throws Exception {
        ParleyClient ann = clients.open(new Recorder());
        get(ann.register("ann", "password-ann", "Ann"));
        ParleyClient bob = clients.open(new Recorder());
        get(bob.register("bob", "password-bob", "Bob"));
        long c = get(ann.openDirect("bob")).id();
        get(ann.send(c, "seen"));
        Recorder.await("bob's client delivered it", () -> {
            try {
                return get(bob.deliveredUpTo(c)) == 1;
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(700); // let bob's client report delivery (it reports twice a second)
        bob.close();
        get(ann.send(c, "missed 1"));
        get(ann.send(c, "missed 2"));

        Recorder laptop = new Recorder();
        ParleyClient bobLaptop = clients.open(laptop);
        get(bobLaptop.login("bob", "password-bob"));
        laptop.awaitTexts(c, 2);
        assertThat(laptop.texts(c)).containsExactly("missed 1", "missed 2");
        Conversations.ConversationInfo info = get(bobLaptop.listConversations()).get(0);
        assertThat(info.lastSeq()).isEqualTo(3);
    }

    @Test
    void aRefusedSendIsReportedAndNotRetried() throws Exception {
        Recorder r = new Recorder();
        ParleyClient ann = clients.open(r);
        get(ann.register("ann", "password-ann", "Ann"));
        assertThatThrownBy(() -> get(ann.send(424242, "nowhere"))).cause()
                .isInstanceOfSatisfying(ParleyClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION));
        assertThat(get(ann.pendingCount())).isZero();
    }

    @Test
    void requestsWhileOfflineFailClearly() {
        ParleyClient c = clients.open(new Recorder());
        assertThatThrownBy(() -> get(c.listContacts())).cause().isInstanceOf(ParleyClientException.class)
                .hasMessageContaining("not connected");
    }

    @Test
    void anUnreachableServerIsAClearError() {
        ParleyClient c = clients.open(ParleyClient.Config.of("127.0.0.1", 1).plaintext());
        assertThatThrownBy(() -> get(c.login("ann", "whatever1"))).cause().isInstanceOf(ParleyClientException.class)
                .hasMessageContaining("cannot connect");
    }
}
