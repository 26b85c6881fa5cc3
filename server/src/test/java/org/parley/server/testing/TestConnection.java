package org.parley.server.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

/**
 * A deliberately simple, blocking protocol client for server tests: one reader thread, replies matched by
 * request id, pushes collected in a queue. Also sends raw bytes, for malformed-input tests.
 */
public final class TestConnection implements AutoCloseable {

    /** An ErrorReply received where a normal answer was expected. */
    public static final class ErrorReplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final transient Session.ErrorReply error;

        ErrorReplyException(Session.ErrorReply error) {
            super(error.code() + ": " + error.message());
            this.error = error;
        }
    }

    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Socket socket;
    private final OutputStream out;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Request ids of the answers received, in the order they arrived. */
    private final java.util.List<Integer> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The protocol version frames are encoded and decoded in: 1 until a Welcome says another. */
    private volatile int version = 1;

    private TestConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "test-connection-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static TestConnection open(String host, int port, boolean tls) throws IOException {
        return open(host, port, tls, null);
    }

    /**
     * Opens a connection from the local address {@code from} (null: any). On Linux every 127.x.y.z address is
     * loopback, so tests play clients at different addresses (for the per-address login limits) this way.
     */
    public static TestConnection open(String host, int port, boolean tls, String from) throws IOException {
        Socket s;
        if (tls) {
            s = trustingSockets().createSocket();
        } else {
            s = new Socket();
        }
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setTcpNoDelay(true);
        if (s instanceof SSLSocket ssl) {
            ssl.startHandshake();
        }
        return new TestConnection(s);
    }

    /** Makes TLS sockets that trust any certificate (for tests that need a raw socket of their own). */
    public static javax.net.ssl.SSLSocketFactory trustingSockets() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Trusts any certificate: these tests check the server, not certificate pinning (the client core does that). */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = in.readInt();
                byte[] frame = new byte[length];
                in.readFully(frame);
                ByteBuffer buf = ByteBuffer.wrap(frame);
                int type = buf.getShort() & 0xFFFF;
                int requestId = buf.getInt();
                Message m = WireCodec.decodeBody(MessageTypes.classOf(type), buf.slice(), version);
                if (m instanceof Session.Welcome w) {
                    version = w.version(); // before the next frame is decoded, as the client core's decoder does
                }
                CompletableFuture<Message> f = requestId == 0 ? null : pending.remove(requestId);
                if (f != null) {
                    answered.add(requestId);
                    f.complete(m);
                } else {
                    pushes.add(m);
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            pushes.add(new Session.ErrorReply(org.parley.protocol.ErrorCode.INTERNAL_ERROR, "test reader: " + e));
        } finally {
            closed.complete(null);
            pending.values().forEach(f -> f.completeExceptionally(new EOFException("connection closed")));
        }
    }

    public void hello() {
        hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION);
    }

    /** Says Hello offering the versions {@code min} to {@code max} (1, 1: a version 1 client). */
    public Session.Welcome hello(int min, int max) {
        return request(new Session.Hello(min, max, "test"), Session.Welcome.class);
    }

    /** The protocol version of this connection: 1 until a Welcome said another. */
    public int version() {
        return version;
    }

    /** The request ids of the answers received so far, in the order they arrived (requests are numbered 1, 2, ...). */
    public java.util.List<Integer> answerOrder() {
        return java.util.List.copyOf(answered);
    }

    /** The id the next request will be sent with. */
    public int nextRequestId() {
        return ids.get() + 1;
    }

    /** Sends a request without waiting; the future completes with its reply (pipelining). */
    public CompletableFuture<Message> callAsync(Message request) {
        int id = ids.incrementAndGet();
        CompletableFuture<Message> f = new CompletableFuture<>();
        pending.put(id, f);
        if (closed.isDone()) {
            pending.remove(id);
            f.completeExceptionally(new EOFException("connection closed"));
            return f;
        }
        send(new Frame(id, request));
        return f;
    }

    /** Sends a request and returns its reply, whatever it is (including ErrorReply). */
    public Message call(Message request) {
        CompletableFuture<Message> f = callAsync(request);
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no reply to " + request + ": " + e, e);
        }
    }

    /** Sends a request and returns its reply, which must be of {@code type}; an ErrorReply throws. */
    public <T extends Message> T request(Message request, Class<T> type) {
        Message reply = call(request);
        if (reply instanceof Session.ErrorReply e && type != Session.ErrorReply.class) {
            throw new ErrorReplyException(e);
        }
        if (!type.isInstance(reply)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + reply);
        }
        return type.cast(reply);
    }

    /** Sends a request that must fail, and returns the error. */
    public Session.ErrorReply error(Message request) {
        return request(request, Session.ErrorReply.class);
    }

    /** Sends with request id 0 (no reply wanted). */
    public void tell(Message message) {
        send(Frame.push(message));
    }

    public synchronized void send(Frame frame) {
        sendRaw(WireCodec.encode(frame, version));
    }

    public synchronized void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for the next push of {@code type} that matches, dropping other pushes before it. */
    public <T extends Message> T awaitPush(Class<T> type, Predicate<T> match) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Message m = left <= 0 ? null : pushes.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " push within " + TIMEOUT);
                }
                if (type.isInstance(m) && match.test(type.cast(m))) {
                    return type.cast(m);
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public <T extends Message> T awaitPush(Class<T> type) {
        return awaitPush(type, m -> true);
    }

    /** The pushes of {@code type} received so far (without waiting), removed from the queue. */
    public <T extends Message> List<T> drainPushes(Class<T> type) {
        List<Message> all = new ArrayList<>();
        pushes.drainTo(all);
        List<T> out = new ArrayList<>();
        for (Message m : all) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return out;
    }

    /** Waits until the server has closed the connection. */
    public void awaitClosed() {
        try {
            closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public InputStream rawInput() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
