package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;

/**
 * A sign-in is one round trip: the client writes its {@code Hello}, its login ({@code Resume}, {@code Login}) and the
 * resync's first {@code ListConversations} before any answer has reached it (a sign-up, {@code Register}, waits for
 * the Welcome: it creates an account), and the real server runs them in
 * order. Observed through a relay between the client and the server that passes the server's bytes on only once
 * the client has written three frames (or after {@link Relay#HOLD_SECONDS}, so that a client that waits for each
 * answer is not stuck, and fails the test instead).
 */
class SignInRoundTripsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private Relay relay;

    @AfterEach
    void closeRelay() throws IOException {
        if (relay != null) {
            relay.close();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** {@link TestClients#config()}, through the relay. */
    private ParleyClient.Config viaRelay() {
        return ParleyClient.Config.of("127.0.0.1", relay.port()).plaintext().backoff(50, 500).device("test");
    }

    private static List<Integer> types(List<Class<? extends Message>> classes) {
        return classes.stream().map(c -> MessageTypes.codeOf(c)).toList();
    }

    @Test
    void aResumeIsOneRoundTripAndCatchesUpOnWhatWasMissed() throws Exception {
        ParleyClient ann = clients.open(new Recorder());
        ParleyClient bob = clients.open(new Recorder());
        get(ann.register("ann", "password-ann", "Ann"));
        String token = get(bob.register("bob", "password-bob", "Bob")).token();
        bob.close();
        long c = get(ann.openDirect("bob")).id();
        get(ann.send(c, "missed 1"));
        get(ann.send(c, "missed 2"));

        relay = new Relay(server.port());
        Recorder again = new Recorder();
        ParleyClient bobAgain = clients.open(viaRelay(), again);
        get(bobAgain.resume(token));

        assertThat(relay.beforeFirstAnswer()).as("frames written before any answer came")
                .containsExactlyElementsOf(types(List.of(Session.Hello.class, Accounts.Resume.class,
                        Conversations.ListConversations.class)));
        // The first page answered with the login drives the catch-up: what was missed, once and in order.
        again.awaitTexts(c, 2);
        assertThat(again.texts(c)).containsExactly("missed 1", "missed 2");
        again.assertOrderedWithoutDuplicates();
        assertThat(bobAgain.protocolVersion()).isEqualTo(2);
        assertThat(bobAgain.welcome().maxMessageBytes()).isPositive();
    }

    @Test
    void aPasswordLoginIsOneRoundTripToo() throws Exception {
        get(clients.open().register("ann", "password-ann", "Ann"));
        relay = new Relay(server.port());
        ParleyClient ann = clients.open(viaRelay());
        assertThat(get(ann.login("ann", "password-ann")).user()).isEqualTo("ann");
        assertThat(relay.beforeFirstAnswer()).containsExactlyElementsOf(types(List.of(Session.Hello.class,
                Accounts.Login.class, Conversations.ListConversations.class)));
        assertThat(get(ann.listConversations())).isEmpty();
    }

    @Test
    void aRefusedResumeFailsWithItsOwnErrorNotThatOfTheRequestBehindIt() throws Exception {
        relay = new Relay(server.port());
        ParleyClient stranger = clients.open(viaRelay());
        assertThatThrownBy(() -> get(stranger.resume("no-such-token"))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ParleyClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
        Recorder.await("offline", () -> stranger.state() == ConnectionState.OFFLINE);
    }

    @Test
    void aSignUpGivenUpBeforeTheServerAnswersCreatesNoAccount() throws Exception {
        relay = new Relay(server.port()); // holds the server's answers back
        ParleyClient eve = clients.open(viaRelay());
        eve.register("eve", "password-eve", "Eve");
        Recorder.await("the client's first frame", () -> !relay.fromClient().isEmpty());
        Thread.sleep(300); // anything written with it in the same write has arrived too
        eve.close(); // the user gives up (Cancel) while no answer has come
        assertThat(relay.fromClient()).as("frames written before any answer came: the sign-up waits for the Welcome")
                .containsExactlyElementsOf(types(List.of(Session.Hello.class)));
        // Trying again, directly: the name is still free (a Register written at once would have taken it when the
        // server got to it, and this sign-up would be told the name is taken).
        assertThat(get(clients.open().register("eve", "password-eve", "Eve")).user()).isEqualTo("eve");
    }

    /**
     * A TCP relay to the server for one connection at a time that records the types of the frames the client writes
     * and holds the server's bytes back until the client has written three frames (at most
     * {@link #HOLD_SECONDS}): which frames the client wrote before any answer came.
     */
    private static final class Relay implements AutoCloseable {
        static final int HOLD_SECONDS = 10;

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final int serverPort;
        private final List<Integer> fromClient = new CopyOnWriteArrayList<>();
        private final CompletableFuture<List<Integer>> beforeFirstAnswer = new CompletableFuture<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Relay(int serverPort) throws IOException {
            this.serverPort = serverPort;
            Thread.ofPlatform().daemon().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        /** The types of the frames the client has written so far. */
        List<Integer> fromClient() {
            return List.copyOf(fromClient);
        }

        /** The types of the frames the client had written when the first answer was passed on to it. */
        List<Integer> beforeFirstAnswer() throws Exception {
            return beforeFirstAnswer.get(HOLD_SECONDS + 20, TimeUnit.SECONDS);
        }

        private void accept() {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofPlatform().daemon().start(() -> clientToServer(client, upstream));
                Thread.ofPlatform().daemon().start(() -> serverToClient(upstream, client));
            } catch (IOException e) {
                beforeFirstAnswer.completeExceptionally(e);
            }
        }

        /** Passes every frame on as it comes, noting its type. */
        private void clientToServer(Socket client, Socket upstream) {
            try (DataInputStream in = new DataInputStream(client.getInputStream())) {
                OutputStream out = upstream.getOutputStream();
                while (true) {
                    int length = in.readInt();
                    byte[] rest = new byte[length];
                    in.readFully(rest);
                    synchronized (fromClient) {
                        fromClient.add(((rest[0] & 0xFF) << 8) | (rest[1] & 0xFF));
                        fromClient.notifyAll();
                    }
                    out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                            (byte) length});
                    out.write(rest);
                    out.flush();
                }
            } catch (IOException e) {
                closeQuietly();
            }
        }

        /** Holds the server's first bytes until the client has written three frames, then passes everything on. */
        private void serverToClient(Socket upstream, Socket client) {
            try (InputStream in = upstream.getInputStream()) {
                OutputStream out = client.getOutputStream();
                byte[] buffer = new byte[8192];
                int n = in.read(buffer);
                if (n < 0) {
                    beforeFirstAnswer.completeExceptionally(new IOException("the server closed at once"));
                    return;
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
                synchronized (fromClient) {
                    while (fromClient.size() < 3 && System.nanoTime() < until) {
                        fromClient.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                    }
                    beforeFirstAnswer.complete(List.copyOf(fromClient));
                }
                do {
                    out.write(buffer, 0, n);
                    out.flush();
                } while ((n = in.read(buffer)) >= 0);
            } catch (IOException | InterruptedException e) {
                beforeFirstAnswer.completeExceptionally(e);
            } finally {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            closeQuietly();
        }
    }
}
