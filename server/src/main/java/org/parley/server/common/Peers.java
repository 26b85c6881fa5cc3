package org.parley.server.common;

import java.util.Collection;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;

/**
 * The other server nodes, as {@link OnlineUsers} sees them (the cluster adapter implements it; a single node has
 * {@link #NONE}). Every call is fire-and-forget: it never blocks on the network.
 */
public interface Peers {

    /** A single node: nobody else to tell. */
    Peers NONE = new Peers() {
        @Override
        public void push(String node, Collection<Long> accounts, Message message) {
        }

        @Override
        public void push(String node, Collection<Long> accounts, EncodedFrame frame) {
        }

        @Override
        public void close(long accountId, ErrorCode code, String reason) {
        }

        @Override
        public void connected(long accountId) {
        }

        @Override
        public void disconnected(long accountId) {
        }
    };

    /** Pushes {@code message} to the connections that node {@code node} holds for {@code accounts}. */
    void push(String node, Collection<Long> accounts, Message message);

    /** The same with a push already encoded (its bytes in the newest protocol version go as they are). */
    void push(String node, Collection<Long> accounts, EncodedFrame frame);

    /** Closes the account's connections on every other node with {@code code}. */
    void close(long accountId, ErrorCode code, String reason);

    /** This node now holds the account's first connection. */
    void connected(long accountId);

    /** This node no longer holds any connection of the account. */
    void disconnected(long accountId);
}
