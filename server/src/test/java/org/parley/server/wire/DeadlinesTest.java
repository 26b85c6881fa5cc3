package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Session;
import org.parley.server.config.ConnectionLimits;
import org.parley.server.wire.MinaClientLink.State;

/**
 * The Hello and login deadlines measure the peer: a frame that arrived on time meets them, however long the
 * server's workers take to get to it (a busy server must not close its punctual clients), and a peer that sent
 * nothing is still closed. Time is passed in, so nothing here waits.
 */
class DeadlinesTest {

    private static final ConnectionLimits LIMITS = new ConnectionLimits(8192, 1 << 20, 2, 4, 3, 2048, 64, 16, 6);
    private final Deadlines deadlines = new Deadlines(LIMITS, new Warnings(6));
    private final InboundThrottle throttle = new InboundThrottle();

    @AfterEach
    void close() {
        deadlines.close();
    }

    private static MinaClientLink link() {
        DummySession session = new DummySession();
        MinaClientLink link = new MinaClientLink(session, 1 << 20, 1 << 20, 10_000, new TokenBucket(100, 100), 1 << 20);
        session.setAttribute("parley.link", link);
        return link;
    }

    /** The decoder hands {@code message} on, as the I/O thread does, without a worker taking it. */
    private void arrives(MinaClientLink link, Object message) {
        throttle.messageReceived(NEXT, link.session(), message);
    }

    private static long after(MinaClientLink link, int seconds) {
        return link.connectedNanos + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void aSilentPeerMissesTheHelloDeadline() {
        MinaClientLink link = link();
        deadlines.check(link, after(link, 3));
        assertThat(link.state).isEqualTo(State.CLOSING);
    }

    @Test
    void aHelloThatArrivedOnTimeIsNotClosedWhileItWaitsForTheWorkers() {
        MinaClientLink link = link();
        arrives(link, new Frame(1, new Session.Hello(1, 2, "t")));
        deadlines.check(link, after(link, 3));
        deadlines.check(link, after(link, 5)); // past the login deadline too: the Welcome is still owed
        assertThat(link.state).isEqualTo(State.AWAIT_HELLO);
    }

    @Test
    void aLoginThatArrivedOnTimeIsNotClosedWhileItWaitsAndTheDeadlineReturnsOnceItIsTaken() {
        MinaClientLink link = link();
        link.state = State.AWAIT_LOGIN; // the Hello was handled
        Frame login = new Frame(2, new Accounts.Login("ann", "secret", "t"));
        arrives(link, login);
        deadlines.check(link, after(link, 5));
        assertThat(link.state).isEqualTo(State.AWAIT_LOGIN);

        link.taken(login); // the worker took it, and the login was refused: the peer may try again, in time
        deadlines.check(link, after(link, 5));
        assertThat(link.state).isEqualTo(State.CLOSING);
    }

    @Test
    void pingsThatArrivedDoNotHoldOffTheLoginDeadline() {
        MinaClientLink link = link();
        link.state = State.AWAIT_LOGIN;
        arrives(link, new Frame(2, new Session.Ping(2)));
        deadlines.check(link, after(link, 5));
        assertThat(link.state).isEqualTo(State.CLOSING);
    }

    private static final NextFilter NEXT = new NextFilter() {
        @Override
        public void sessionCreated(org.apache.mina.core.session.IoSession s) {
        }

        @Override
        public void sessionOpened(org.apache.mina.core.session.IoSession s) {
        }

        @Override
        public void sessionClosed(org.apache.mina.core.session.IoSession s) {
        }

        @Override
        public void sessionIdle(org.apache.mina.core.session.IoSession s, org.apache.mina.core.session.IdleStatus st) {
        }

        @Override
        public void exceptionCaught(org.apache.mina.core.session.IoSession s, Throwable cause) {
        }

        @Override
        public void inputClosed(org.apache.mina.core.session.IoSession s) {
        }

        @Override
        public void messageReceived(org.apache.mina.core.session.IoSession s, Object message) {
        }

        @Override
        public void messageSent(org.apache.mina.core.session.IoSession s,
                org.apache.mina.core.write.WriteRequest request) {
        }

        @Override
        public void filterWrite(org.apache.mina.core.session.IoSession s,
                org.apache.mina.core.write.WriteRequest request) {
        }

        @Override
        public void filterClose(org.apache.mina.core.session.IoSession s) {
        }

        @Override
        public void event(org.apache.mina.core.session.IoSession s, org.apache.mina.filter.FilterEvent event) {
        }
    };
}
