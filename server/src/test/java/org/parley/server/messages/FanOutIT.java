package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/**
 * A busy group's pushes to a member whose socket takes them late: they wait in the server's queue for that
 * connection and go out gathered, several in one write ({@code write-gather-bytes}); each member still gets every
 * message once, whole, in sequence order, and so does a member who reads at once. With gathering off the same holds.
 */
class FanOutIT {

    private static final int MESSAGES = 1500;
    private static final int TEXT_BYTES = 6000; // 9 MB in all: more than the sockets' buffers hold for the late reader

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-message-bytes", "10000",
            "--max-outbound-bytes", String.valueOf(64 << 20), "--requests-per-second", "100000", "--request-burst",
            "100000");

    @Test
    void pushesQueuedForALateReaderArriveWholeOnceAndInOrder() throws Exception {
        everyMemberGetsEveryMessageInOrder();
    }

    @Test
    void theSameWithEachWriteAlone() throws Exception {
        server.restartWith("--write-gather-bytes", "0");
        everyMemberGetsEveryMessageInOrder();
    }

    private void everyMemberGetsEveryMessageInOrder() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        server.register("carl").close();
        long group = ann.request(new Conversations.CreateGroup("busy", List.of("bob", "carl")),
                Conversations.ConversationInfo.class).id();
        try (RawPeer carl = RawPeer.connect(server.port())) {
            carl.send(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t")),
                    new Frame(2, new Accounts.Login("carl", "password-carl", "t")));
            assertThat(carl.read().message()).isInstanceOf(Session.Welcome.class);
            assertThat(carl.read().message()).isInstanceOf(Accounts.LoggedIn.class);
            // Pipelined, so that the writer stores and fans out many at a time; carl reads nothing meanwhile.
            List<CompletableFuture<Message>> sent = new ArrayList<>();
            String pad = "x".repeat(TEXT_BYTES);
            for (int i = 0; i < MESSAGES; i++) {
                sent.add(ann.callAsync(new Chat.Send(group, "m" + i, Kind.TEXT, i + " " + pad, List.of())));
            }
            long first = 0;
            for (CompletableFuture<Message> f : sent) {
                Message m = f.get(60, TimeUnit.SECONDS);
                assertThat(m).isInstanceOf(Chat.Sent.class);
                first = first == 0 ? ((Chat.Sent) m).seq() : first;
            }
            long expected = first;
            for (int i = 0; i < MESSAGES; i++) {
                Chat.ChatMessage m = bob.awaitPush(Chat.NewMessage.class, p -> p.message().kind() == Kind.TEXT)
                        .message();
                assertThat(m.seq()).as("bob: in order, none lost or doubled").isEqualTo(expected++);
                assertThat(m.text()).isEqualTo(i + " " + pad);
            }
            expected = first;
            for (int i = 0; i < MESSAGES; i++) {
                Chat.ChatMessage m = nextText(carl);
                assertThat(m.seq()).as("carl: in order, none lost or doubled").isEqualTo(expected++);
                assertThat(m.text()).isEqualTo(i + " " + pad);
            }
            carl.send(new Frame(3, new Session.Ping(7)));
            assertThat(nextAnswer(carl)).as("carl's connection goes on").isInstanceOf(Session.Pong.class);
        }
    }

    private static Chat.ChatMessage nextText(RawPeer peer) throws IOException {
        while (true) {
            Frame f = peer.read();
            if (f.message() instanceof Chat.NewMessage n && n.message().kind() == Kind.TEXT) {
                return n.message();
            }
        }
    }

    private static Message nextAnswer(RawPeer peer) throws IOException {
        while (true) {
            Frame f = peer.read();
            if (f.requestId() != 0) {
                return f.message();
            }
        }
    }
}
