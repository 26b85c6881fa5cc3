package org.parley.client.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.internal.EventLoop;
import org.parley.client.core.internal.Link;
import org.parley.protocol.ClientIds;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;

/**
 * A Parley client: one user's connection to one server, kept alive by itself.
 *
 * <p>After {@link #login} or {@link #register}, the client stays logged in until {@link #logout} or
 * {@link #close}: when the connection drops it reconnects with exponential backoff, resumes the session with its
 * token, catches up on every conversation ("everything after the last message I have") and resends what it had
 * not yet had acknowledged, so that no message is lost, shown twice or out of order. All events reach the
 * {@link ClientListener}s on one event thread, in order. Requests return futures; a failed request completes
 * with a {@link ParleyClientException}.
 *
 * <p>This class is the facade: the connection's job (addresses, TLS and trust, Hello, login and resume, backoff
 * and reconnecting, requests) is {@link Connection}'s, the delivery's (outbox, resync, cursors, receipts, typing,
 * pushes to listeners) is {@link Delivery}'s.
 */
public final class ParleyClient implements AutoCloseable {

    /**
     * How to reach the server and how to behave. {@code servers} are the addresses of the deployment's nodes, tried
     * in turn (round-robin) when a connection fails or is lost; {@code host} and {@code port} are the first of
     * them (the name the client's settings and pins are kept under).
     */
    public record Config(String host, int port, boolean tls, TrustStore trustStore, TrustDecider trustDecider,
            String device, long requestTimeoutMillis, long initialBackoffMillis, long maxBackoffMillis,
            CertificateAuthorities authorities, List<ServerAddress> servers, TlsSessions tlsSessions) {

        public Config {
            servers = servers == null || servers.isEmpty() ? List.of(new ServerAddress(host, port))
                    : List.copyOf(servers);
            tlsSessions = tlsSessions == null ? TlsSessions.shared() : tlsSessions;
        }

        /**
         * TLS; a certificate the system's CAs verify for {@code host} is accepted, any other is pinned on first
         * use in {@code ~/.parley/known_servers} (unknown ones refused unless {@link #trust} says otherwise).
         */
        public static Config of(String host, int port) {
            return of(List.of(new ServerAddress(host, port)));
        }

        /**
         * As {@link #of(String, int)} for a deployment of several nodes: the client connects to the first address
         * that answers and, when its connection is lost, to the next (each address is pinned on its own).
         */
        public static Config of(List<ServerAddress> servers) {
            ServerAddress first = servers.getFirst();
            return new Config(first.host(), first.port(), true, FileTrustStore.inUserHome(),
                    TrustDecider.PINNED_ONLY, "", 15_000, 250, 30_000, CertificateAuthorities.system(), servers,
                    TlsSessions.shared());
        }

        public Config plaintext() {
            return new Config(host, port, false, trustStore, trustDecider, device, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, authorities, servers, tlsSessions);
        }

        public Config trust(TrustStore store, TrustDecider decider) {
            return new Config(host, port, tls, store, decider, device, requestTimeoutMillis, initialBackoffMillis,
                    maxBackoffMillis, authorities, servers, tlsSessions);
        }

        /** The certificate authorities whose certificates need no pin (default: the system's). */
        public Config authorities(CertificateAuthorities cas) {
            return new Config(host, port, tls, trustStore, trustDecider, device, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, cas, servers, tlsSessions);
        }

        public Config device(String name) {
            return new Config(host, port, tls, trustStore, trustDecider, name, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, authorities, servers, tlsSessions);
        }

        /**
         * Where TLS sessions are kept for resuming ({@link TlsSessions#shared()} by default;
         * {@link TlsSessions#none()}: every connection makes a full handshake).
         */
        public Config tlsSessions(TlsSessions sessions) {
            return new Config(host, port, tls, trustStore, trustDecider, device, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, authorities, servers, sessions);
        }

        public Config backoff(long initialMillis, long maxMillis) {
            return new Config(host, port, tls, trustStore, trustDecider, device, requestTimeoutMillis, initialMillis,
                    maxMillis, authorities, servers, tlsSessions);
        }
    }

    private final Config config;
    private final Listeners listeners = new Listeners();
    private final DisplayNames names = new DisplayNames();
    private final Connection connection;
    private final Delivery delivery;

    public ParleyClient(Config config) {
        this(config, null);
    }

    /** A client on a shared connector (see {@link #newConnector}); the connector is not closed with the client. */
    public ParleyClient(Config config, NioSocketConnector sharedConnector) {
        this(config, sharedConnector, null);
    }

    /**
     * A client for load tests and bots: on a shared connector and a shared scheduler (neither is closed with the
     * client), so that thousands of clients need only a few threads. Each client's events still run one at a
     * time, in order.
     */
    public ParleyClient(Config config, NioSocketConnector sharedConnector, ScheduledExecutorService sharedScheduler) {
        this.config = config;
        EventLoop events = sharedScheduler == null
                ? EventLoop.ownThread("parley-client-" + config.host() + ":" + config.port())
                : EventLoop.shared(sharedScheduler);
        this.connection = new Connection(config, sharedConnector == null ? Link.newConnector(1) : sharedConnector,
                sharedConnector == null, events, listeners, names);
        this.delivery = new Delivery(connection, listeners, names);
        connection.deliverTo(delivery);
    }

    /** A connector for many clients in one process (benchmarks, bots): they share its I/O threads. */
    public static NioSocketConnector newConnector(int ioThreads) {
        return Link.newConnector(ioThreads);
    }

    public void addListener(ClientListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ClientListener listener) {
        listeners.remove(listener);
    }

    /** The connection state (read from any thread; may lag behind by an event). */
    public ConnectionState state() {
        return connection.state();
    }

    /** How this client reaches its server (host and port as given: the first of its server addresses). */
    public Config config() {
        return config;
    }

    /** The current session, or null before the first login. */
    public Accounts.LoggedIn session() {
        return connection.session();
    }

    /** What the server said of itself at the last sign-in (its name and version, its limits), or null before. */
    public Session.Welcome welcome() {
        return connection.welcome();
    }

    /** The display names this client has met (its own, the contacts', the requests', search results). */
    public DisplayNames names() {
        return names;
    }

    /**
     * The TLS session of the current connection (protocol, cipher suite, the server's certificates), or null when
     * offline or in plaintext. A resumed session keeps the creation time of the full handshake it came from.
     */
    public javax.net.ssl.SSLSession tlsSession() {
        return connection.tlsSession();
    }

    /** The user name logged in, or null. */
    public String user() {
        return connection.user();
    }

    /**
     * The protocol version the server chose for the current (or last) connection: 2 with a current server, 1 with
     * a server that speaks only version 1 (it tells no roles); 0 before the first login.
     */
    public int protocolVersion() {
        return connection.protocolVersion();
    }

    /** Whether the logged-in user is an admin of the group (as the server last told; never in a 1:1 chat). */
    public boolean isAdmin(Conversations.ConversationInfo conversation) {
        String me = user();
        return conversation.members().stream().anyMatch(m -> m.user().equals(me) && m.admin());
    }

    /**
     * Whether the logged-in user may remove other members of the group and name or demote its admins: its admins
     * may; with a version 1 server, which has no roles, every member may remove (and nobody names admins).
     */
    public boolean mayManageMembers(Conversations.ConversationInfo conversation) {
        if (conversation.kind() != Conversations.Kind.GROUP) {
            return false;
        }
        return protocolVersion() == 1 || isAdmin(conversation);
    }

    // ---------------------------------------------------------------- connecting and logging in

    public CompletableFuture<Accounts.LoggedIn> register(String user, String password, String displayName) {
        return register(user, password, displayName, "");
    }

    /**
     * Registers with an invitation code (empty for none), as a server with {@code registration=invite} requires;
     * without one such a server answers {@code FORBIDDEN} saying that a code is needed.
     */
    public CompletableFuture<Accounts.LoggedIn> register(String user, String password, String displayName,
            String invitation) {
        return connection.start(new Accounts.Register(user, password, displayName, config.device(), invitation));
    }

    /**
     * Sets a new password with the one-time code an administrator made ({@code CreatePasswordReset}) and logs in;
     * every other session of the account is revoked. A wrong, used or expired code is AUTHENTICATION_FAILED.
     */
    public CompletableFuture<Accounts.LoggedIn> resetPassword(String user, String code, String newPassword) {
        return connection.start(new Accounts.ResetPassword(user, code, newPassword, config.device()));
    }

    public CompletableFuture<Accounts.LoggedIn> login(String user, String password) {
        return connection.start(new Accounts.Login(user, password, config.device()));
    }

    /** Logs in with a token saved from an earlier session ({@link Accounts.LoggedIn#token()}). */
    public CompletableFuture<Accounts.LoggedIn> resume(String token) {
        return connection.start(new Accounts.Resume(token, config.device()));
    }


    /** The server's certificate was not trusted: reconnecting cannot help; the user must decide. */
    public static final class TrustRejectedException extends ParleyClientException {
        private static final long serialVersionUID = 1L;

        TrustRejectedException(String message) {
            super(message, null);
        }
    }

    /** Logs out: the session token is revoked and the client stays offline. */
    public CompletableFuture<Void> logout() {
        return connection.logout();
    }

    /** Closes the connection without logging out (the session can be resumed later); stops reconnecting. */
    @Override
    public void close() {
        connection.close(delivery::close);
    }

    /** Drops the connection as if the network failed (tests; "reconnect now" in a UI): the client reconnects. */
    public void dropConnection() {
        connection.dropConnection();
    }

    // ---------------------------------------------------------------- requests

    /** Sends any request and returns its reply; fails at once when not online. */
    public CompletableFuture<Message> request(Message request) {
        return connection.request(request);
    }

    private <T extends Message> CompletableFuture<T> call(Message request, Class<T> reply) {
        return request(request).thenApply(reply::cast);
    }

    public CompletableFuture<List<Contacts.UserInfo>> searchUsers(String query, int limit) {
        return call(new Contacts.SearchUsers(query, limit), Contacts.UserList.class).thenApply(list -> {
            names.putAll(list.users());
            return list.users();
        });
    }

    public CompletableFuture<Contacts.ContactList> listContacts() {
        return call(new Contacts.ListContacts(), Contacts.ContactList.class).thenApply(list -> {
            names.putAll(list.contacts());
            names.putAll(list.incoming());
            names.putAll(list.outgoing());
            return list;
        });
    }

    public CompletableFuture<Void> requestContact(String user) {
        return call(new Contacts.RequestContact(user), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> answerContact(String user, boolean accept) {
        return call(new Contacts.AnswerContact(user, accept), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> removeContact(String user) {
        return call(new Contacts.RemoveContact(user), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> setPresence(Contacts.Presence presence, String statusText) {
        return call(new Contacts.SetPresence(presence, statusText), Session.Ok.class).thenApply(x -> null);
    }

    /** Opens (or finds) the 1:1 conversation with a user; listeners hear {@code conversationUpdated}. */
    public CompletableFuture<Conversations.ConversationInfo> openDirect(String user) {
        return call(new Conversations.OpenDirect(user), Conversations.ConversationInfo.class).thenApply(delivery::known);
    }

    /** Creates a group; listeners hear {@code conversationUpdated}. */
    public CompletableFuture<Conversations.ConversationInfo> createGroup(String title, List<String> members) {
        return call(new Conversations.CreateGroup(title, members), Conversations.ConversationInfo.class)
                .thenApply(delivery::known);
    }


    public CompletableFuture<Void> rename(long conversationId, String title) {
        return call(new Conversations.Rename(conversationId, title), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> addMembers(long conversationId, List<String> users) {
        return call(new Conversations.AddMembers(conversationId, users), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> removeMember(long conversationId, String user) {
        return call(new Conversations.RemoveMember(conversationId, user), Session.Ok.class).thenApply(x -> null);
    }

    /**
     * Names {@code user} an admin of the group ({@link Conversations.Role#ADMIN}) or makes an admin a member again;
     * only admins may (FORBIDDEN otherwise), and a group keeps at least one admin (CONFLICT).
     */
    public CompletableFuture<Void> setRole(long conversationId, String user, Conversations.Role role) {
        return call(new Conversations.SetRole(conversationId, user, role), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> leave(long conversationId) {
        return call(new Conversations.Leave(conversationId), Session.Ok.class).thenApply(x -> null);
    }

    /** Every conversation of the user, asked a page at a time (a page is what fits in one frame). */
    public CompletableFuture<List<Conversations.ConversationInfo>> listConversations() {
        return listConversations(0, new ArrayList<>());
    }

    private CompletableFuture<List<Conversations.ConversationInfo>> listConversations(long afterId,
            List<Conversations.ConversationInfo> into) {
        return call(new Conversations.ListConversations(afterId, 0), Conversations.ConversationList.class)
                .thenCompose(page -> {
                    into.addAll(page.conversations());
                    if (!page.more() || page.conversations().isEmpty()) { // a version 1 server never says more
                        return CompletableFuture.completedFuture(into);
                    }
                    return listConversations(page.conversations().getLast().id(), into);
                });
    }

    /** History: up to {@code limit} messages before {@code beforeSeq} (0 = the newest), oldest first. */
    public CompletableFuture<Chat.MessagePage> fetchBefore(long conversationId, long beforeSeq, int limit) {
        return call(new Chat.FetchBefore(conversationId, beforeSeq, limit), Chat.MessagePage.class);
    }

    public CompletableFuture<Chat.MessagePage> fetchAfter(long conversationId, long afterSeq, int limit) {
        return call(new Chat.FetchAfter(conversationId, afterSeq, limit), Chat.MessagePage.class);
    }

    /**
     * Message search: the messages holding every word of {@code query} (also as word beginnings; case and accents
     * ignored) in the caller's conversations ({@code conversationId} 0) or in one, newest first; {@code cursor} ""
     * for the first page, else the previous page's {@code nextCursor}; {@code limit} 0 = the server's default.
     */
    public CompletableFuture<Search.SearchResults> searchMessages(String query, long conversationId, String cursor,
            int limit) {
        return call(new Search.SearchMessages(query, conversationId, cursor, limit), Search.SearchResults.class);
    }

    /** Message {@code seq} with up to {@code before} messages before it and {@code after} after it, oldest first. */
    public CompletableFuture<Search.AroundPage> fetchAround(long conversationId, long seq, int before, int after) {
        return call(new Search.FetchAround(conversationId, seq, before, after), Search.AroundPage.class);
    }

    /**
     * Reacts to message {@code seq} with {@code emoji} (one emoji: {@link org.parley.protocol.Emoji}). Adding one
     * already there changes nothing, so a retry is safe. Listeners hear {@code reactionsChanged} once it is stored.
     */
    public CompletableFuture<Reactions.ReactionChanged> addReaction(long conversationId, long seq, String emoji) {
        return reacted(call(new Reactions.AddReaction(conversationId, seq, emoji), Reactions.ReactionChanged.class));
    }

    /** Takes back the user's {@code emoji} reaction to message {@code seq}; as {@link #addReaction}. */
    public CompletableFuture<Reactions.ReactionChanged> removeReaction(long conversationId, long seq, String emoji) {
        return reacted(call(new Reactions.RemoveReaction(conversationId, seq, emoji),
                Reactions.ReactionChanged.class));
    }


    private CompletableFuture<Reactions.ReactionChanged> reacted(CompletableFuture<Reactions.ReactionChanged> f) {
        return delivery.reacted(f);
    }

    public void markRead(long conversationId, long upToSeq) {
        delivery.markRead(conversationId, upToSeq);
    }

    public void typing(long conversationId, boolean typing) {
        delivery.typing(conversationId, typing);
    }

    /**
     * Changes this account's password. The server then revokes every other session of the account (other devices
     * are signed out); this one stays signed in with its token. A wrong current password is AUTHENTICATION_FAILED,
     * a new password the server's rules refuse INVALID_ARGUMENT with the rule in words.
     */
    public CompletableFuture<Void> changePassword(String oldPassword, String newPassword) {
        return call(new Accounts.ChangePassword(oldPassword, newPassword), Session.Ok.class).thenApply(x -> null);
    }

    /**
     * Changes the user's display name (blank: the user name); everyone who shows it hears it at once, this client's
     * {@link #names()} too. A directory account's name is the directory's: FORBIDDEN. Needs protocol version 2.
     */
    public CompletableFuture<Void> setDisplayName(String displayName) {
        return call(new Contacts.SetDisplayName(displayName), Session.Ok.class).thenApply(x -> null);
    }

    /** A new invitation code (administrators, or everyone when the server allows it; else FORBIDDEN). */
    public CompletableFuture<org.parley.protocol.message.Admin.InvitationCreated> createInvitation() {
        return call(new org.parley.protocol.message.Admin.CreateInvitation(),
                org.parley.protocol.message.Admin.InvitationCreated.class);
    }

    public CompletableFuture<Void> disableAccount(String user) {
        return call(new Accounts.DisableAccount(user), Session.Ok.class).thenApply(x -> null);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a text message. The message is kept until the server has stored it: if the connection drops, it is
     * sent again (with the same id, so never stored twice) after the client has reconnected. The future completes
     * when the server has stored it, or fails when the server refuses it for good.
     */
    public CompletableFuture<Chat.Sent> send(long conversationId, String text) {
        return send(conversationId, ClientIds.next(), text);
    }

    /** {@link #send(long, String)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> send(long conversationId, String clientMessageId, String text) {
        return send(conversationId, clientMessageId, text, 0);
    }

    /**
     * {@link #send(long, String, String)} as a reply to message {@code replyTo} of the same conversation (0: a
     * message that answers none). A server refuses a {@code replyTo} that names no message of the conversation.
     */
    public CompletableFuture<Chat.Sent> send(long conversationId, String clientMessageId, String text, long replyTo) {
        return delivery.send(conversationId, clientMessageId, text, replyTo);
    }

    /**
     * Edits one's own message {@code seq} (its text, or a file's caption). The future completes with the server's
     * {@code Sent} for the edit (its own seq) once stored; listeners then hear {@link ClientListener#messageEdited}
     * as they do for an edit from elsewhere. Not kept while offline: it fails when there is no connection, and may
     * be sent again with {@link #editMessage(long, long, String, String)} and the same id (applied once).
     */
    public CompletableFuture<Chat.Sent> editMessage(long conversationId, long seq, String text) {
        return editMessage(conversationId, seq, ClientIds.next(), text);
    }

    /** {@link #editMessage(long, long, String)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> editMessage(long conversationId, long seq, String clientMessageId,
            String text) {
        return call(new Chat.Edit(conversationId, seq, clientMessageId, text), Chat.Sent.class).thenApply(sent -> {
            Chat.ChatMessage entry = new Chat.ChatMessage(conversationId, sent.seq(), sent.timestamp(), user(),
                    clientMessageId, Chat.Kind.EDIT, text, List.of(), 0, false, seq);
            delivery.posted(entry);
            return sent;
        });
    }

    /**
     * Deletes message {@code seq} for everyone (one's own, or any as a group's admin). As
     * {@link #editMessage(long, long, String)}: listeners hear {@link ClientListener#messageDeleted} once stored.
     */
    public CompletableFuture<Chat.Sent> deleteMessage(long conversationId, long seq) {
        return deleteMessage(conversationId, seq, ClientIds.next());
    }

    /** {@link #deleteMessage(long, long)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> deleteMessage(long conversationId, long seq, String clientMessageId) {
        return call(new Chat.Delete(conversationId, seq, clientMessageId), Chat.Sent.class).thenApply(sent -> {
            Chat.ChatMessage entry = new Chat.ChatMessage(conversationId, sent.seq(), sent.timestamp(), user(),
                    clientMessageId, Chat.Kind.DELETE, "", List.of(), 0, false, seq);
            delivery.posted(entry);
            return sent;
        });
    }

    /** Messages not yet acknowledged by the server (shown as "sending" in a UI). */
    public CompletableFuture<Integer> pendingCount() {
        return delivery.pendingCount();
    }

    /**
     * The messages to a conversation that the server has not acknowledged yet, oldest first (what a chat shows as
     * waiting to be sent, for example after it was reopened while offline).
     */
    public CompletableFuture<List<Chat.Send>> pending(long conversationId) {
        return delivery.pending(conversationId);
    }

    /**
     * For feature plug-ins that post messages through requests of their own (file transfer's UploadFinish): a
     * message from this client is stored; listeners hear {@code messageSent} and the conversation's cursor moves,
     * exactly as for {@link #send}.
     */
    public void messagePosted(Chat.ChatMessage message) {
        delivery.posted(message);
    }

    /** The newest sequence number handed to listeners for a conversation (0 = none), for tests and UIs. */
    public CompletableFuture<Long> deliveredUpTo(long conversationId) {
        return delivery.deliveredUpTo(conversationId);
    }
}
