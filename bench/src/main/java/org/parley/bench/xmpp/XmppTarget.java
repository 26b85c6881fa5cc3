package org.parley.bench.xmpp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.bench.Target;

/**
 * An XMPP server (ejabberd, Prosody) behind the scenarios' {@link Target}: 1:1 chats are {@code type='chat'}
 * messages to the bare JID, groups are multi-user chat rooms on {@code conference.<domain>}, history is a MAM
 * query. Connections are spread over several local addresses (127.0.0.2, .3, ...) so that ephemeral ports never
 * limit how many there can be.
 */
public final class XmppTarget implements Target {

    private final String name;
    private final String domain;
    private final InetSocketAddress server;
    private final NioSocketConnector connector;
    private final int localAddresses;
    private final AtomicInteger next = new AtomicInteger();

    public XmppTarget(String name, String host, int port, String domain, int localAddresses) {
        this.name = name;
        this.domain = domain;
        this.server = new InetSocketAddress(host, port);
        this.localAddresses = localAddresses;
        connector = new NioSocketConnector(1);
        connector.setConnectTimeoutMillis(30_000);
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageReceived(IoSession session, Object message) {
                XmppConnection c = (XmppConnection) session.getAttribute(XmppConnection.ATTR);
                if (c != null) {
                    c.received((IoBuffer) message);
                }
            }

            @Override
            public void sessionClosed(IoSession session) {
                XmppConnection c = (XmppConnection) session.getAttribute(XmppConnection.ATTR);
                if (c != null) {
                    c.closed();
                }
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
                session.closeNow();
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    private InetSocketAddress local() {
        if (localAddresses <= 0) {
            return null;
        }
        int i = 2 + Math.floorMod(next.getAndIncrement(), localAddresses);
        return new InetSocketAddress("127.0.0." + i, 0);
    }

    @Override
    public CompletableFuture<Void> register(String user, String password) {
        XmppConnection c = new XmppConnection(domain, user, password, true, x -> {
        });
        c.connect(connector, server, local());
        return c.ready.thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Client> login(String user, String password, Consumer<String> onMessage) {
        XmppConnection c = new XmppConnection(domain, user, password, false, onMessage);
        c.connect(connector, server, local());
        return c.ready.thenApply(x -> new XmppClient(x, password, onMessage));
    }

    @Override
    public void close() {
        connector.dispose(false);
    }

    /** HTTP/1.1 for XEP-0363's PUT and GET (both servers' upload listeners speak it). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    /**
     * XEP-0363 HTTP File Upload: asks {@code upload.<domain>} for a slot of the file's size, PUTs the bytes to
     * the slot's URL (with the headers the slot names, e.g. Prosody's authorization), completes with the GET URL.
     */
    private CompletableFuture<Object> upload(XmppConnection c, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        String type = "application/octet-stream";
        return c.iq("<iq type='get' id='ID' to='upload." + domain + "'><request xmlns='urn:xmpp:http:upload:0' "
                + "filename='" + Xml.escape(file.getFileName().toString()) + "' size='" + size
                + "' content-type='" + type + "'/></iq>").thenCompose(slot -> {
                    int put = slot.indexOf("<put ");
                    int get = slot.indexOf("<get ");
                    if (!"result".equals(Xml.attr(slot, "type")) || put < 0 || get < 0) {
                        throw new IllegalStateException("no upload slot: " + slot);
                    }
                    String putUrl = Xml.attr(slot.substring(put), "url");
                    String getUrl = Xml.attr(slot.substring(get), "url");
                    HttpRequest.Builder req;
                    try {
                        req = HttpRequest.newBuilder(URI.create(putUrl)).header("Content-Type", type)
                                .PUT(HttpRequest.BodyPublishers.ofFile(file));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    int end = slot.indexOf("</put>", put);
                    for (int h = slot.indexOf("<header ", put); h >= 0 && h < end; h = slot.indexOf("<header ", h + 1)) {
                        String header = slot.substring(h, slot.indexOf("</header>", h) + 9);
                        req.header(Xml.attr(header, "name"), Xml.text(header, "header"));
                    }
                    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).thenApply(r -> {
                        if (r.statusCode() / 100 != 2) {
                            throw new IllegalStateException("PUT " + putUrl + ": HTTP " + r.statusCode());
                        }
                        return (Object) getUrl;
                    });
                });
    }

    private final class XmppClient implements Client {
        private final XmppConnection c;
        private final String password;
        private final Consumer<String> onMessage;

        XmppClient(XmppConnection c, String password, Consumer<String> onMessage) {
            this.c = c;
            this.password = password;
            this.onMessage = onMessage;
        }

        @Override
        public CompletableFuture<Client> reconnect() {
            return login(cUser(), password, onMessage);
        }

        @Override
        public CompletableFuture<Chat> direct(String otherUser) {
            String to = otherUser + "@" + domain;
            return CompletableFuture.completedFuture(new Chat() {
                @Override
                public void send(String text) {
                    c.write("<message to='" + to + "' type='chat'><body>" + Xml.escape(text) + "</body></message>");
                }

                @Override
                public CompletableFuture<Integer> latest(int n) {
                    return c.mamLatest(null, to, n);
                }

                @Override
                public CompletableFuture<Object> upload(Path file) {
                    return XmppTarget.this.upload(c, file);
                }

                @Override
                public CompletableFuture<Void> download(Object uploaded, Path target) {
                    return http.sendAsync(HttpRequest.newBuilder(URI.create((String) uploaded)).GET().build(),
                            HttpResponse.BodyHandlers.ofFile(target)).thenApply(r -> {
                                if (r.statusCode() != 200) {
                                    throw new IllegalStateException("GET " + uploaded + ": HTTP " + r.statusCode());
                                }
                                return null;
                            });
                }
            });
        }

        @Override
        public CompletableFuture<Chat> createGroup(String name, List<String> members) {
            String room = name + "@conference." + domain;
            // An instant room (XEP-0045 10.1.2): the creator accepts the default configuration, which unlocks it.
            return c.joinRoom(room, cUser()).thenCompose(p -> c.iq("<iq type='set' id='ID' to='" + room + "'>"
                    + "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/>"
                    + "</query></iq>")).thenApply(answer -> {
                        if (!"result".equals(Xml.attr(answer, "type"))) {
                            throw new IllegalStateException("configuring " + room + " failed: " + answer);
                        }
                        return room(room);
                    });
        }

        @Override
        public CompletableFuture<Chat> joinGroup(String name) {
            String room = name + "@conference." + domain;
            return c.joinRoom(room, cUser()).thenApply(p -> room(room));
        }

        private String cUser() {
            return c.jid().substring(0, c.jid().indexOf('@'));
        }

        private Chat room(String room) {
            return new Chat() {
                @Override
                public void send(String text) {
                    c.write("<message to='" + room + "' type='groupchat'><body>" + Xml.escape(text)
                            + "</body></message>");
                }

                @Override
                public CompletableFuture<Integer> latest(int n) {
                    return c.mamLatest(room, null, n);
                }
            };
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
