package org.parley.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.common.ClientLink;

/**
 * A logged-in connection without a socket, for tests of the services that push to connections: it records what is
 * pushed to it (a frame encoded for many connections as an {@code Ok}, its content not decoded) and ignores closing.
 */
public final class RecordingLink implements ClientLink {

    private final long id;
    private final long account;
    /** What was pushed, in order (pushes may come from any thread). */
    public final List<Message> pushed = new CopyOnWriteArrayList<>();

    public RecordingLink(long id, long account) {
        this.id = id;
        this.account = account;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long accountId() {
        return account;
    }

    @Override
    public String device() {
        return "";
    }

    @Override
    public void push(Message message) {
        pushed.add(message);
    }

    @Override
    public void push(EncodedFrame frame) {
        pushed.add(new Session.Ok());
    }

    @Override
    public void close(ErrorCode code, String reason) {
    }
}
