package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Request floods by one signed-in user. Every request type of the protocol takes from its connection's budget; the
 * costly ones (group changes, lists, searches) also from the account's, shared by all of its connections, so that
 * opening more connections does not multiply them. Meanwhile another user is served.
 */
class CostlyRequestsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "1",
            "--request-burst", "20", "--costly-requests-per-second", "1", "--costly-request-burst", "10");

    /** Requests that end or change the session: not flooded here (they have tests of their own). */
    private static final Set<Class<?>> SESSION = Set.of(Session.Hello.class, Accounts.Logout.class,
            Accounts.Login.class, Accounts.Register.class, Accounts.Resume.class, Accounts.ResetPassword.class);

    /** An instance of a message record with empty fields (0, "", empty lists, an enum's first constant). */
    private static Object empty(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            values[i] = t == long.class ? 0L : t == int.class ? 0 : t == boolean.class ? false : t == String.class ? ""
                    : t == byte[].class ? new byte[0] : t == List.class ? List.of() : t.isEnum()
                            ? t.getEnumConstants()[0] : t.isRecord() ? empty(t) : null;
        }
        Constructor<?> c = type.getDeclaredConstructor(types);
        return c.newInstance(values);
    }

    /** What a flood of {@code type} gets: the answers to {@code count} requests written without waiting. */
    private static List<Message> flood(TestConnection c, Message request, int count) {
        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(c.callAsync(request));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static long limited(List<Message> answers) {
        return answers.stream().filter(m -> m instanceof Session.ErrorReply e && e.code() == ErrorCode.RATE_LIMITED)
                .count();
    }

    /**
     * The audit: a flood of each request type of the catalogue (and of each reply and push, which a client may send
     * too) on a connection is cut by the connection's budget. Chunks weigh a tenth of a request (their bytes pace
     * them), so more of them are sent. ChangePassword is left out: each one is a password check, which the login
     * throttle counts (LoginFloodIT).
     */
    @Test
    void everyRequestTypeIsRateLimitedOnItsConnection() throws Exception {
        server.register("root").close(); // the first account is the administrator: ann is not
        server.register("ann").close();
        List<String> unlimited = new ArrayList<>();
        for (Class<? extends Message> type : MessageTypes.all().values()) {
            if (SESSION.contains(type) || type == Accounts.ChangePassword.class) {
                continue;
            }
            Message request = (Message) empty(type);
            boolean chunk = request instanceof org.parley.protocol.message.Transfers.UploadChunk
                    || request instanceof org.parley.protocol.message.Transfers.FetchChunk;
            try (TestConnection ann = server.login("ann")) {
                if (limited(flood(ann, request, chunk ? 260 : 30)) == 0) {
                    unlimited.add(type.getSimpleName());
                }
            }
        }
        assertThat(unlimited).as("request types a connection may flood").isEmpty();
    }

    /**
     * One user floods costly requests from four connections, each within its connection's budget: the account's
     * budget cuts them, with an error that says why, and the user's other requests and another user go on.
     */
    @Test
    void costlyRequestsAreLimitedPerAccountAcrossItsConnections() throws Exception {
        server.restartWith("--requests-per-second", "100000", "--request-burst", "100000");
        server.register("root").close();
        server.register("bob").close();
        TestConnection bob = server.login("bob");
        List<TestConnection> mal = new ArrayList<>();
        mal.add(server.register("mal"));
        for (int i = 0; i < 3; i++) {
            mal.add(server.login("mal"));
        }
        List<Message> costly = List.of(new Conversations.CreateGroup("flood", List.of("bob")),
                new Contacts.SearchUsers("b", 20), new Conversations.ListConversations(),
                new Conversations.OpenDirect("bob"));
        List<Message> answers = new ArrayList<>();
        for (Message request : costly) {
            for (TestConnection c : mal) {
                answers.addAll(flood(c, request, 10));
            }
            // bob, meanwhile: his own budget, untouched by mal's flood.
            assertThat(bob.request(request, Message.class)).isNotInstanceOf(Session.ErrorReply.class);
        }
        assertThat(limited(answers)).as("of %d costly requests from one account", answers.size())
                .isGreaterThanOrEqualTo(answers.size() - 20);
        assertThat(answers).filteredOn(m -> m instanceof Session.ErrorReply).allSatisfy(m -> assertThat(
                ((Session.ErrorReply) m).message()).contains("costly requests").contains("from your account"));
        // Cheap requests are not held back by the costly budget.
        for (TestConnection c : mal) {
            assertThat(c.request(new Session.Ping(5), Session.Pong.class).nonce()).isEqualTo(5);
        }
        Conversations.ConversationInfo direct = bob.request(new Conversations.OpenDirect("mal"),
                Conversations.ConversationInfo.class);
        assertThat(mal.get(0).request(new Chat.Send(direct.id(), UUID.randomUUID().toString(), Chat.Kind.TEXT,
                "still sending", List.of()), Chat.Sent.class).duplicate()).isFalse();
    }

    /**
     * One account opens connection after connection (a Resume costs no password check): beyond
     * {@code max-connections-per-account} its logins are refused in words, the connection stays to try again, and
     * once one of its connections is gone a login goes through. Another user is not affected.
     */
    @Test
    void anAccountMayHaveSoManyConnectionsAtOnce() throws Exception {
        server.restartWith("--max-connections-per-account", "3");
        server.register("root").close();
        TestConnection first = server.connect();
        String token = first.request(new Accounts.Register("mal", "password-mal", "Mal", "t"),
                Accounts.LoggedIn.class).token();
        server.login("mal");
        server.login("mal");
        TestConnection fourth = server.connect();
        for (Message login : List.of(new Accounts.Login("mal", "password-mal", "t"), new Accounts.Resume(token, "t"))) {
            Session.ErrorReply refused = fourth.error(login);
            assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(refused.message()).contains("3 connections open already");
        }
        assertThat(fourth.isClosed()).isFalse();
        assertThat(fourth.request(new Session.Ping(4), Session.Pong.class).nonce()).isEqualTo(4);
        server.register("bob").close();
        server.login("bob").close();

        first.close();
        Message answer;
        long until = System.nanoTime() + TestConnection.TIMEOUT.toNanos();
        do { // the server learns of the closed socket a moment later
            answer = fourth.call(new Accounts.Resume(token, "t"));
        } while (answer instanceof Session.ErrorReply && System.nanoTime() < until);
        assertThat(answer).isInstanceOf(Accounts.LoggedIn.class);
    }
}
