package org.parley.bench.xmpp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * One XMPP client connection, hand-written on MINA (see docs/decisions/bench-xmpp-driver.md): stream header, then
 * either in-band registration (XEP-0077) or SASL PLAIN, stream restart, resource binding and initial presence.
 * Afterwards it hands chat and groupchat bodies to {@code onMessage}, correlates IQ answers by id, counts MAM
 * results and answers pings. Plaintext only: the servers are configured to allow it on loopback.
 */
final class XmppConnection {

    static final String ATTR = "xmpp.connection";
    /** BENCH_XMPP_TRACE=1 prints every element sent and received (for debugging the driver, not for runs). */
    private static final boolean TRACE = System.getenv("BENCH_XMPP_TRACE") != null;

    private enum Phase { HEADER, FEATURES, REGISTERED, AUTH, HEADER2, FEATURES2, BOUND, ONLINE }

    private final String domain;
    private final String user;
    private final String password;
    private final boolean registerOnly;
    private final Consumer<String> onMessage;
    private final XmlSplitter splitter = new XmlSplitter(this::element);
    private final Map<String, CompletableFuture<String>> iqs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mamCounts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> joins = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final CompletableFuture<XmppConnection> ready = new CompletableFuture<>();
    private volatile Phase phase = Phase.HEADER;
    private volatile IoSession session;

    XmppConnection(String domain, String user, String password, boolean registerOnly, Consumer<String> onMessage) {
        this.domain = domain;
        this.user = user;
        this.password = password;
        this.registerOnly = registerOnly;
        this.onMessage = onMessage;
    }

    String jid() {
        return user + "@" + domain;
    }

    void connect(NioSocketConnector connector, InetSocketAddress server, InetSocketAddress local) {
        ConnectFuture f = local == null ? connector.connect(server) : connector.connect(server, local);
        f.addListener(x -> {
            if (!f.isConnected()) {
                ready.completeExceptionally(f.getException());
                return;
            }
            session = f.getSession();
            session.setAttribute(ATTR, this);
            openStream();
        });
    }

    private void openStream() {
        write("<?xml version='1.0'?><stream:stream to='" + domain + "' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    }

    void write(String xml) {
        if (TRACE) {
            System.err.println(user + " -> " + xml);
        }
        IoSession s = session;
        if (s != null) {
            s.write(IoBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)));
        }
    }

    void received(IoBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.get(b);
        splitter.feed(b, 0, b.length);
    }

    void closed() {
        ready.completeExceptionally(new IllegalStateException(user + ": connection closed in phase " + phase));
        iqs.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
    }

    void close() {
        IoSession s = session;
        if (s != null) {
            write("</stream:stream>");
            s.closeOnFlush();
        }
    }

    void closeNow() {
        IoSession s = session;
        if (s != null) {
            s.closeNow();
        }
    }

    String nextId() {
        return "b" + ids.incrementAndGet();
    }

    /** Sends an IQ (with {@code id='ID'} as a placeholder for its id) and completes with the answer. */
    CompletableFuture<String> iq(String stanzaWithIdPlaceholder) {
        String id = nextId();
        CompletableFuture<String> f = new CompletableFuture<>();
        iqs.put(id, f);
        write(stanzaWithIdPlaceholder.replace("'ID'", "'" + id + "'"));
        return f;
    }

    /**
     * Asks the archive (XEP-0313) for the latest {@code max} messages (with {@code with}, or of the room
     * {@code to}), paging backwards with RSM while the server's pages are smaller; completes with the count.
     */
    CompletableFuture<Integer> mamLatest(String to, String with, int max) {
        return mamPage(to, with, max, "", 0);
    }

    private CompletableFuture<Integer> mamPage(String to, String with, int max, String before, int got) {
        String queryId = "q" + ids.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        mamCounts.put(queryId, count);
        String filter = with == null ? ""
                : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                        + "<value>urn:xmpp:mam:2</value></field><field var='with'><value>" + with
                        + "</value></field></x>";
        String beforeXml = before.isEmpty() ? "<before/>" : "<before>" + Xml.escape(before) + "</before>";
        return iq("<iq type='set' id='ID'" + (to == null ? "" : " to='" + to + "'")
                + "><query xmlns='urn:xmpp:mam:2' queryid='" + queryId + "'>" + filter
                + "<set xmlns='http://jabber.org/protocol/rsm'><max>" + (max - got) + "</max>" + beforeXml
                + "</set></query></iq>").thenCompose(answer -> {
                    mamCounts.remove(queryId);
                    if (!"result".equals(Xml.attr(answer, "type"))) {
                        throw new IllegalStateException("MAM query failed: " + answer);
                    }
                    int total = got + count.get();
                    String first = Xml.text(answer, "first");
                    boolean complete = answer.contains("complete='true'") || answer.contains("complete=\"true\"");
                    if (total >= max || complete || count.get() == 0 || first == null) {
                        return CompletableFuture.completedFuture(total);
                    }
                    return mamPage(to, with, max, first, total);
                });
    }

    /** Enters a multi-user chat room (XEP-0045) without history; completes with the room's self-presence. */
    CompletableFuture<String> joinRoom(String roomJid, String nick) {
        CompletableFuture<String> f = new CompletableFuture<>();
        joins.put(roomJid + "/" + nick, f);
        write("<presence to='" + roomJid + "/" + nick + "'><x xmlns='http://jabber.org/protocol/muc'>"
                + "<history maxstanzas='0'/></x></presence>");
        return f;
    }

    private void element(String e) {
        if (TRACE) {
            System.err.println(user + " <- " + e);
        }
        switch (phase) {
            case HEADER, HEADER2 -> {
                if (e.startsWith("<stream:stream")) {
                    phase = phase == Phase.HEADER ? Phase.FEATURES : Phase.FEATURES2;
                } else {
                    fail(e);
                }
            }
            case FEATURES -> {
                if (!e.startsWith("<stream:features")) {
                    fail(e);
                } else if (registerOnly) {
                    phase = Phase.REGISTERED;
                    write("<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>" + Xml.escape(user)
                            + "</username><password>" + Xml.escape(password) + "</password></query></iq>");
                } else {
                    phase = Phase.AUTH;
                    String plain = Base64.getEncoder().encodeToString(
                            ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                    write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
                }
            }
            case REGISTERED -> {
                if (e.startsWith("<iq") && "result".equals(Xml.attr(e, "type"))) {
                    ready.complete(this);
                    close();
                } else {
                    fail(e);
                }
            }
            case AUTH -> {
                if (e.startsWith("<success")) {
                    phase = Phase.HEADER2;
                    splitter.restart();
                    openStream();
                } else {
                    fail(e);
                }
            }
            case FEATURES2 -> {
                if (e.startsWith("<stream:features")) {
                    phase = Phase.BOUND;
                    write("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                            + "<resource>bench</resource></bind></iq>");
                } else {
                    fail(e);
                }
            }
            case BOUND -> {
                if (e.startsWith("<iq") && "result".equals(Xml.attr(e, "type"))) {
                    phase = Phase.ONLINE;
                    write("<presence/>");
                    ready.complete(this);
                } else {
                    fail(e);
                }
            }
            case ONLINE -> online(e);
        }
    }

    private void online(String e) {
        if (e.startsWith("<message")) {
            int result = e.indexOf("<result ");
            if (result >= 0 && e.indexOf("urn:xmpp:mam:2", result) > 0) {
                AtomicInteger c = mamCounts.get(Xml.attr(e.substring(result), "queryid"));
                if (c != null) {
                    c.incrementAndGet();
                }
                return;
            }
            String type = Xml.attr(e, "type");
            if ("groupchat".equals(type)) {
                String from = Xml.attr(e, "from");
                if (from != null && from.endsWith("/" + user)) {
                    return; // the room echoes our own message back: not a delivery to count
                }
            }
            String body = Xml.text(e, "body");
            if (body != null && ("chat".equals(type) || "groupchat".equals(type))) {
                onMessage.accept(body);
            }
        } else if (e.startsWith("<iq")) {
            String type = Xml.attr(e, "type");
            String id = Xml.attr(e, "id");
            if ("result".equals(type) || "error".equals(type)) {
                CompletableFuture<String> f = id == null ? null : iqs.remove(id);
                if (f != null) {
                    f.complete(e);
                }
            } else if ("get".equals(type) || "set".equals(type)) {
                // pings and anything else: an empty result keeps the server content
                String from = Xml.attr(e, "from");
                write("<iq type='result' id='" + Xml.escape(String.valueOf(id)) + "'"
                        + (from == null ? "" : " to='" + Xml.escape(from) + "'") + "/>");
            }
        } else if (e.startsWith("<presence")) {
            String from = Xml.attr(e, "from");
            CompletableFuture<String> f = from == null ? null : joins.remove(from);
            if (f != null) {
                if ("error".equals(Xml.attr(e, "type"))) {
                    f.completeExceptionally(new IllegalStateException("joining " + from + " failed: " + e));
                } else {
                    f.complete(e);
                }
            }
        } else if (e.startsWith("<stream:error") || e.startsWith("</stream:stream")) {
            closeNow();
        }
    }

    private void fail(String e) {
        ready.completeExceptionally(new IllegalStateException(user + ": unexpected in phase " + phase + ": " + e));
        closeNow();
    }
}
