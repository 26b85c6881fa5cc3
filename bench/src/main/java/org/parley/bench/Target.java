package org.parley.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A server under test, as the scenarios see it: the one small interface behind which Parley (through its client
 * core) and the XMPP servers (through {@link org.parley.bench.xmpp.XmppTarget}) look the same, so that every
 * scenario runs the same code against each of them.
 */
public interface Target extends AutoCloseable {

    /** "parley", "ejabberd", "prosody". */
    String name();

    /** Creates an account (Parley: Register; XMPP: in-band registration, XEP-0077) and disconnects. */
    CompletableFuture<Void> register(String user, String password);

    /** Logs in a new connection; {@code onMessage} gets the text of every chat message it receives. */
    CompletableFuture<Client> login(String user, String password, Consumer<String> onMessage);

    @Override
    void close();

    /**
     * Counters of the target's own that a result line may show (Parley with TLS: the full and the resumed TLS
     * handshakes so far); empty by default.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /** One logged-in connection. */
    /** A page of search results as the scenario needs it. */
    record SearchPage(int hits, boolean complete) {
    }

    interface Client {

        /** The 1:1 conversation with another user. */
        CompletableFuture<Chat> direct(String otherUser);

        /**
         * Creates a group named {@code name} with these members (user names); the members must then
         * {@link #joinGroup} it (Parley: finds it; XMPP: enters the multi-user chat room).
         */
        CompletableFuture<Chat> createGroup(String name, List<String> members);

        CompletableFuture<Chat> joinGroup(String name);

        /** Closes the connection (no logout). */
        void close();

        /**
         * Message search over all of the user's conversations, the first page of {@code limit}: the hits, and
         * whether the server's index had every stored message (Parley only: XMPP's MAM full-text search is an
         * optional extension the peers' configurations here do not offer).
         */
        default CompletableFuture<SearchPage> search(String query, int limit) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException(name() + " has no search"));
        }

        /** The target's name, for messages. */
        default String name() {
            return getClass().getSimpleName();
        }

        /**
         * After {@link #close}: connects and logs in again as the same user with the same listener, the way a
         * client comes back after a network failure (Parley: resumes its session token, then resyncs every
         * conversation; XMPP: logs in again, and the server delivers what it stored offline).
         */
        CompletableFuture<Client> reconnect();
    }

    /** A conversation as one member sees it. */
    interface Chat {

        /** Sends a text message (fire and forget: latency is measured where it arrives). */
        void send(String text);

        /** Fetches the latest {@code n} messages of the conversation's history; completes with how many came. */
        CompletableFuture<Integer> latest(int n);

        /**
         * Uploads a file for this conversation (Parley: its client's {@code FileTransfers}, posted in the
         * conversation; XMPP: XEP-0363, a slot asked for over the stream, then an HTTP PUT); completes with what
         * {@link #download} needs (Parley: the attachment; XMPP: the GET URL).
         */
        default CompletableFuture<Object> upload(Path file) {
            throw new UnsupportedOperationException("file transfer in this kind of conversation");
        }

        /** Downloads what {@link #upload} stored into {@code target} (the caller checks the bytes). */
        default CompletableFuture<Void> download(Object uploaded, Path target) {
            throw new UnsupportedOperationException("file transfer in this kind of conversation");
        }
    }
}
