package org.parley.server.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterBus} over NATS core publish/subscribe (jnats; docs/decisions/cluster-messaging.md). Subjects:
 * {@code <name>.all} for every node, {@code <name>.node.<id>} for one; the connection does not receive its own
 * broadcasts ({@code noEcho}). It authenticates with the settings' user and password (or token), over TLS when the
 * URL says {@code tls://}, reconnects by itself, and holds what is published while it is away in jnats' reconnect
 * buffer.
 */
public final class NatsBus implements ClusterBus {

    private static final Logger LOG = LoggerFactory.getLogger(NatsBus.class);

    private final ClusterSettings settings;
    private final int largestEvent;
    private volatile Connection connection;

    /** {@code largestEvent}: the biggest event this node may send (a push of the largest frame, with its header). */
    public NatsBus(ClusterSettings settings, int largestEvent) {
        this.settings = settings;
        this.largestEvent = largestEvent;
    }

    @Override
    public void start(Consumer<byte[]> receiver) throws IOException {
        Options.Builder options = new Options.Builder().server(settings.url()).noEcho()
                .connectionName("parley-" + settings.nodeId()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500)).connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(listener());
        if (!settings.user().isEmpty()) {
            options.userInfo(settings.user(), settings.password());
        } else if (!settings.password().isEmpty()) {
            options.token(settings.password().toCharArray());
        }
        try {
            connection = Nats.connect(options.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the cluster's NATS server " + settings.url(), e);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot connect to the cluster's NATS server " + settings.url() + ": "
                    + e.getMessage(), e);
        }
        long maxPayload = connection.getServerInfo().getMaxPayload();
        if (maxPayload < largestEvent) {
            close();
            throw new IOException("the NATS server takes messages of at most " + maxPayload + " bytes, but a push "
                    + "between nodes may be " + largestEvent + " bytes (max-frame-bytes plus its header): set "
                    + "max_payload in the NATS server's configuration to at least that (docs/scale-out.md)");
        }
        Dispatcher dispatcher = connection.createDispatcher(m -> receiver.accept(m.getData()));
        dispatcher.subscribe(allSubject());
        dispatcher.subscribe(nodeSubject(settings.nodeId()));
        try {
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            close();
            throw new IOException("the cluster's NATS server did not confirm the subscriptions: " + e.getMessage(), e);
        }
    }

    private ConnectionListener listener() {
        return (conn, event) -> {
            switch (event) {
                case DISCONNECTED -> LOG.atWarn().addKeyValue("url", settings.url())
                        .log("lost the cluster's NATS server; reconnecting (pushes between nodes wait meanwhile)");
                case RECONNECTED -> LOG.atInfo().addKeyValue("url", conn.getConnectedUrl())
                        .log("reconnected to the cluster's NATS server");
                default -> {
                }
            }
        };
    }

    private String allSubject() {
        return settings.name() + ".all";
    }

    private String nodeSubject(String node) {
        return settings.name() + ".node." + node;
    }

    @Override
    public void broadcast(byte[] event) {
        publish(allSubject(), event);
    }

    @Override
    public void send(String node, byte[] event) {
        publish(nodeSubject(node), event);
    }

    private void publish(String subject, byte[] event) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try {
            c.publish(subject, event);
        } catch (IllegalStateException e) {
            // Closed, or the reconnect buffer is full during a long outage: the event is lost, as with any
            // at-most-once push; clients find the gap at the next message or reconnect.
            LOG.atDebug().addKeyValue("subject", subject).log("event to other nodes dropped: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.flush(Duration.ofSeconds(2));
            } catch (Exception e) {
                // closing anyway
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
