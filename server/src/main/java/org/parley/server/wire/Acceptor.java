package org.parley.server.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLEngine;

import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.filter.ssl.SslFilter;
import org.parley.protocol.mina.RecordSlicer;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.parley.protocol.Protocol;
import org.parley.protocol.mina.ParleyCodecFactory;
import org.parley.server.config.ConnectionLimits;
import org.parley.server.config.ServerConfig;
import org.parley.server.accounts.AccountService;
import org.parley.server.common.Handlers;
import org.parley.server.common.OnlineUsers;

/**
 * The listening socket and the filter chain every connection goes through: TLS (unless plaintext), the frame
 * codec, the inbound throttle, then an ordered executor so that handlers that may block never run on MINA's I/O
 * threads; the requests that need no blocking work (a {@code Send} checked in memory) are handled before it, on the
 * I/O thread, while nothing of their connection is with the executor ({@link InlineRequests}).
 */
public final class Acceptor implements AutoCloseable {

    private final NioSocketAcceptor acceptor;
    private final OrderedThreadPoolExecutor workers;
    private final Deadlines deadlines;
    private final OutboundBudget outbound;

    public Acceptor(ServerConfig config, Tls tls, AccountService accounts, OnlineUsers online, Handlers handlers,
            String serverName) {
        this(config, tls, accounts, online, handlers, serverName, WireMetrics.NONE);
    }

    public Acceptor(ServerConfig config, Tls tls, AccountService accounts, OnlineUsers online, Handlers handlers,
            String serverName, WireMetrics metrics) {
        acceptor = new NioSocketAcceptor(Runtime.getRuntime().availableProcessors());
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(1024);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        // What waits for a connection's turn on the I/O thread goes out in one system call (write-gather-bytes); the
        // attributes in a compact map.
        acceptor.setSessionDataStructureFactory(new SessionStructures(config.writeGatherBytes()));
        if (tls != null) {
            SslFilter ssl = new SslFilter(tls.context()) {
                /** The context of now: after a certificate reload, a new one (tickets issued before are void). */
                @Override
                protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
                    SSLEngine engine = address == null ? tls.context().createSSLEngine()
                            : tls.context().createSSLEngine(address.getHostString(), address.getPort());
                    engine.setEnabledProtocols(getEnabledProtocols());
                    engine.setUseClientMode(false);
                    return engine;
                }
            };
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            acceptor.getFilterChain().addLast("tls", ssl);
            acceptor.getFilterChain().addLast("slicer", new RecordSlicer());
        }
        ConnectionLimits limits = config.connectionLimits();
        Warnings warnings = new Warnings(limits.warningsPerAddressPerMinute());
        deadlines = new Deadlines(limits, warnings);
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(ParleyCodecFactory.forServer(
                new FrameBudget(config.maxFrameBytes(), limits, deadlines), config.maxFrameBytes(),
                Protocol.MIN_VERSION, Protocol.MAX_VERSION)));
        outbound = new OutboundBudget(config.signedIn().maxOutboundTotalBytes(),
                config.signedIn().outboundCatchUpSeconds() * 1000L, this::links);
        ConnectionHandler handler = new ConnectionHandler(config, accounts, online, handlers, serverName,
                new Strangers(limits.maxUnauthenticatedPerAddress()), deadlines, warnings, metrics, outbound);
        acceptor.getFilterChain().addLast("throttle", new InboundThrottle());
        // A request that needs no blocking work (a Send checked in memory) is handled here, on the I/O thread, when
        // nothing of its connection is with the workers; the rest goes on to them.
        acceptor.getFilterChain().addLast("inline", new InlineRequests(handler));
        workers = new OrderedThreadPoolExecutor(2, 32);
        acceptor.getFilterChain().addLast("workers", new ExecutorFilter(workers, IoEventType.SESSION_OPENED,
                IoEventType.MESSAGE_RECEIVED, IoEventType.SESSION_IDLE, IoEventType.EXCEPTION_CAUGHT,
                IoEventType.SESSION_CLOSED));
        acceptor.setHandler(handler);
    }

    /** Every connection's link (those whose session has one yet). */
    private List<MinaClientLink> links() {
        List<MinaClientLink> links = new ArrayList<>();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            MinaClientLink link = ConnectionHandler.link(session);
            if (link != null) {
                links.add(link);
            }
        }
        return links;
    }

    public void bind(InetSocketAddress address) throws IOException {
        acceptor.bind(address);
    }

    public int port() {
        return acceptor.getLocalAddress().getPort();
    }

    /** Unbinds, closes every connection and waits for the workers. */
    @Override
    public void close() {
        acceptor.unbind();
        acceptor.getManagedSessions().values().forEach(s -> s.closeNow());
        acceptor.dispose(true);
        workers.shutdown();
        deadlines.close();
        outbound.close();
    }
}
