package org.parley.server.cluster;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The messaging engine between server nodes, as the cluster sees it: events (opaque bytes) to every other node or
 * to one node. Delivery is at most once, in order from one sender; nothing is stored (the database is the record,
 * and clients fetch what a lost push would have told them: docs/scale-out.md). {@link NatsBus} is the adapter.
 */
public interface ClusterBus extends AutoCloseable {

    /** Connects and starts handing the events for this node (sent to it or to all) to {@code receiver}, in order. */
    void start(Consumer<byte[]> receiver) throws IOException;

    /** Sends to every other node. Never blocks on the network. */
    void broadcast(byte[] event);

    /** Sends to node {@code node}. Never blocks on the network. */
    void send(String node, byte[] event);

    @Override
    void close();
}
