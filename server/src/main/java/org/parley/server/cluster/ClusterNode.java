package org.parley.server.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Contacts.Presence;
import org.parley.protocol.message.Message;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.messages.StoredMessage;
import org.parley.server.common.OnlineUsers;
import org.parley.server.common.Peers;
import org.parley.server.presence.PresenceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster of server nodes (docs/scale-out.md): what crosses nodes goes through a
 * {@link ClusterBus} as small events. It implements {@link Peers} for {@link OnlineUsers} (pushes to accounts whose
 * connections other nodes hold, closing an account's connections everywhere, which accounts this node holds),
 * passes on presence states, membership invalidations and which conversations got new messages (for the other
 * nodes' search indexes), and keeps the view of the other nodes: a node says
 * {@code HELLO} when it starts (each other node answers with the accounts it holds and their states), a heartbeat
 * every {@code heartbeatMs}, {@code BYE} when it stops; a node silent for {@code nodeTimeoutMs} is taken as gone,
 * and the node with the smallest id among the survivors tells the gone node's users' contacts that they went
 * offline.
 *
 * <p>Events come from other Parley nodes through an engine that authenticated them, but are still read as
 * untrusted: a malformed event is logged and dropped, pushed frames are decoded by the protocol codec (what a
 * node could not have encoded does not reach a client), and an event's sizes are bounded by the frame limit.
 */
public final class ClusterNode implements Peers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private static final byte HELLO = 1;
    private static final byte SNAPSHOT = 2;
    private static final byte CONNECTED = 3;
    private static final byte DISCONNECTED = 4;
    private static final byte PRESENCE = 5;
    private static final byte PUSH = 6;
    private static final byte CLOSE = 7;
    private static final byte MEMBERS = 8;
    private static final byte HEARTBEAT = 9;
    private static final byte BYE = 10;
    private static final byte STORED = 11;

    /** Room for an event's header around a pushed frame (node id, account ids of one push are counted apart). */
    private static final int HEADER_BYTES = 1024;

    private final String nodeId;
    private final ClusterBus bus;
    private final OnlineUsers online;
    private final PresenceService presence;
    private final MembershipCache membership;
    private final LongConsumer storedElsewhere;
    private final ScheduledExecutorService timer;
    private final int heartbeatMs;
    private final int nodeTimeoutMs;
    private final int maxFrameBytes;
    /** Node id → when it was last heard from (System.nanoTime). */
    private final Map<String, Long> nodes = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private ScheduledFuture<?> beat;

    public ClusterNode(String nodeId, ClusterBus bus, OnlineUsers online, PresenceService presence,
            MembershipCache membership, LongConsumer storedElsewhere, ScheduledExecutorService timer,
            int heartbeatMs, int nodeTimeoutMs, int maxFrameBytes) {
        this.nodeId = nodeId;
        this.bus = bus;
        this.online = online;
        this.presence = presence;
        this.membership = membership;
        this.storedElsewhere = storedElsewhere;
        this.timer = timer;
        this.heartbeatMs = heartbeatMs;
        this.nodeTimeoutMs = nodeTimeoutMs;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest event a node sends: a pushed frame of the largest size with its header. */
    public static int largestEvent(int maxFrameBytes) {
        return maxFrameBytes + Protocol.LENGTH_BYTES + HEADER_BYTES;
    }

    /** Connects to the engine, joins (HELLO), starts the heartbeat and takes over the features' hooks. */
    public void start() throws IOException {
        bus.start(this::received);
        online.setPeers(this);
        presence.share((account, state) -> bus.broadcast(event(PRESENCE, out -> {
            out.writeLong(account);
            out.writeByte(state.presence().ordinal());
            out.writeUTF(state.statusText());
        })));
        membership.onInvalidate(conversation -> bus.broadcast(event(MEMBERS, out -> out.writeLong(conversation))));
        bus.broadcast(event(HELLO, out -> { }));
        beat = timer.scheduleWithFixedDelay(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        LOG.atInfo().addKeyValue("node", nodeId).log("joined the cluster");
    }

    /** The other nodes this node hears from now. */
    public Set<String> nodes() {
        return Set.copyOf(nodes.keySet());
    }

    /**
     * Tells the other nodes which conversations this node just stored messages in (their search indexes read
     * them back from the database). Called by the message writer once a batch is durable; never blocks.
     */
    public void stored(List<StoredMessage> batch) {
        Set<Long> conversations = new LinkedHashSet<>();
        for (StoredMessage m : batch) {
            conversations.add(m.conversationId());
        }
        bus.broadcast(event(STORED, out -> {
            out.writeInt(conversations.size());
            for (long c : conversations) {
                out.writeLong(c);
            }
        }));
    }

    // --- Peers: what OnlineUsers asks of the other nodes ---

    @Override
    public void push(String node, Collection<Long> accounts, Message message) {
        bus.send(node, push(accounts, WireCodec.encode(Frame.push(message), Protocol.MAX_VERSION)));
    }

    @Override
    public void push(String node, Collection<Long> accounts, EncodedFrame frame) {
        ByteBuffer b = frame.bytes(Protocol.MAX_VERSION);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        bus.send(node, push(accounts, bytes));
    }

    private byte[] push(Collection<Long> accounts, byte[] frames) {
        return event(PUSH, out -> {
            out.writeInt(accounts.size());
            for (long a : accounts) {
                out.writeLong(a);
            }
            out.writeInt(frames.length);
            out.write(frames);
        });
    }

    @Override
    public void close(long accountId, ErrorCode code, String reason) {
        bus.broadcast(event(CLOSE, out -> {
            out.writeLong(accountId);
            out.writeShort(code.ordinal());
            out.writeUTF(reason);
        }));
    }

    @Override
    public void connected(long accountId) {
        bus.broadcast(event(CONNECTED, out -> out.writeLong(accountId)));
    }

    @Override
    public void disconnected(long accountId) {
        bus.broadcast(event(DISCONNECTED, out -> out.writeLong(accountId)));
    }

    // --- events from the other nodes ---

    private void received(byte[] event) {
        synchronized (lock) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(event))) {
                byte type = in.readByte();
                String from = in.readUTF();
                if (from.equals(nodeId)) {
                    LOG.atWarn().addKeyValue("node", from).log("an event from another node with this node's id: "
                            + "node-id must be unique; ignored");
                    return;
                }
                boolean known = nodes.put(from, System.nanoTime()) != null;
                if (!known && type != HELLO && type != BYE) {
                    // A node this one did not know (it started before us, or came back): ask for its accounts.
                    bus.send(from, event(HELLO, out -> { }));
                }
                handle(type, from, in);
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().setCause(e).log("malformed event from another node dropped");
            }
        }
    }

    private void handle(byte type, String from, DataInputStream in) throws IOException {
        switch (type) {
            case HELLO -> bus.send(from, snapshot());
            case SNAPSHOT -> {
                int n = count(in, 8);
                for (int i = 0; i < n; i++) {
                    long account = in.readLong();
                    Presence p = presence(in.readUnsignedByte());
                    String status = in.readUTF();
                    online.remoteConnected(from, account);
                    presence.peerState(account, new PresenceService.State(p, status));
                }
            }
            case CONNECTED -> online.remoteConnected(from, in.readLong());
            case DISCONNECTED -> online.remoteDisconnected(from, in.readLong(), false);
            case PRESENCE -> {
                long account = in.readLong();
                Presence p = presence(in.readUnsignedByte());
                presence.peerState(account, new PresenceService.State(p, in.readUTF()));
            }
            case PUSH -> {
                int n = count(in, 8);
                List<Long> accounts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    accounts.add(in.readLong());
                }
                int length = in.readInt();
                if (length < 0 || length > in.available() || length > largestEvent(maxFrameBytes)) {
                    throw new IOException("bad pushed frame length " + length);
                }
                byte[] bytes = in.readNBytes(length);
                EncodedFrame frame = decode(bytes);
                for (long account : accounts) {
                    online.forEachLink(account, null, link -> link.push(frame));
                }
            }
            case CLOSE -> {
                long account = in.readLong();
                int code = in.readUnsignedShort();
                ErrorCode[] codes = ErrorCode.values();
                if (code >= codes.length) {
                    throw new IOException("unknown error code " + code);
                }
                online.closeHere(account, null, codes[code], in.readUTF());
            }
            case MEMBERS -> membership.invalidateHere(in.readLong());
            case STORED -> {
                int n = count(in, 8);
                for (int i = 0; i < n; i++) {
                    storedElsewhere.accept(in.readLong());
                }
            }
            case HEARTBEAT -> {
                // seen: noted above
            }
            case BYE -> {
                nodes.remove(from);
                online.nodeGone(from, speaksForTheGone());
                LOG.atInfo().addKeyValue("node", from).log("node left the cluster");
            }
            default -> throw new IOException("unknown event type " + type);
        }
    }

    private static int count(DataInputStream in, int bytesEach) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * bytesEach > in.available()) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static Presence presence(int ordinal) throws IOException {
        Presence[] all = Presence.values();
        if (ordinal >= all.length) {
            throw new IOException("unknown presence " + ordinal);
        }
        return all[ordinal];
    }

    /** Frames (length, type, request id, body) back to back, decoded and encoded again for this node's clients. */
    private EncodedFrame decode(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<EncodedFrame> frames = new ArrayList<>(1);
        while (b.hasRemaining()) {
            int length = b.getInt();
            if (length < Protocol.HEADER_BYTES || length > b.remaining() || length > maxFrameBytes) {
                throw new IOException("bad frame length " + length);
            }
            int type = b.getShort() & 0xFFFF;
            int requestId = b.getInt();
            Class<? extends Message> cls = MessageTypes.classOf(type);
            if (cls == null || requestId != 0) {
                throw new IOException("not a push: type " + type + ", request " + requestId);
            }
            ByteBuffer body = b.slice(b.position(), length - Protocol.HEADER_BYTES);
            b.position(b.position() + length - Protocol.HEADER_BYTES);
            Message m = WireCodec.decodeBody(cls, body, Protocol.MAX_VERSION);
            frames.add(EncodedFrame.of(Frame.push(m), maxFrameBytes));
        }
        if (frames.isEmpty()) {
            throw new IOException("a push without frames");
        }
        return frames.size() == 1 ? frames.get(0) : EncodedFrame.concat(frames);
    }

    private byte[] snapshot() {
        Set<Long> accounts = online.localAccounts();
        return event(SNAPSHOT, out -> {
            out.writeInt(accounts.size());
            for (long a : accounts) {
                PresenceService.State s = presence.stateOf(a);
                out.writeLong(a);
                out.writeByte(s.presence().ordinal());
                out.writeUTF(s.statusText());
            }
        });
    }

    // --- liveness ---

    private void heartbeat() {
        try {
            bus.broadcast(event(HEARTBEAT, out -> { }));
            long now = System.nanoTime();
            synchronized (lock) {
                for (Map.Entry<String, Long> e : nodes.entrySet()) {
                    if (now - e.getValue() > TimeUnit.MILLISECONDS.toNanos(nodeTimeoutMs)) {
                        nodes.remove(e.getKey());
                        boolean announce = speaksForTheGone();
                        LOG.atWarn().addKeyValue("node", e.getKey()).addKeyValue("silentMs", nodeTimeoutMs)
                                .addKeyValue("announcing", announce).log("node lost: its users are offline");
                        online.nodeGone(e.getKey(), announce);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("cluster heartbeat failed");
        }
    }

    /** Whether this node has the smallest id among the nodes still heard from (it tells the gone node's news). */
    private boolean speaksForTheGone() {
        for (String other : nodes.keySet()) {
            if (other.compareTo(nodeId) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (beat != null) {
            beat.cancel(false);
        }
        online.setPeers(Peers.NONE);
        bus.broadcast(event(BYE, out -> { }));
        bus.close();
    }

    // --- encoding ---

    @FunctionalInterface
    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private byte[] event(byte type, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            out.writeUTF(nodeId);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
