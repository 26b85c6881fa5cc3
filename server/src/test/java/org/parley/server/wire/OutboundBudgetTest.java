package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Chat;
import org.parley.protocol.mina.ParleyCodecFactory;
import org.junit.jupiter.api.Test;
import org.parley.server.common.MessageStages;

/**
 * Which connections the server-wide bound on unsent bytes closes: over the bound, those that made no progress
 * reading for the catch-up time, the longest behind first and only as many as it takes; never one whose socket keeps
 * taking bytes, however large its backlog. Time is passed in, and the sessions' counts are set by hand, so nothing
 * here waits (SignedInReadersIT runs the attack against a real server).
 */
class OutboundBudgetTest {

    private static final int MIB = 1 << 20;
    private final List<MinaClientLink> links = new ArrayList<>();
    private final OutboundBudget budget = new OutboundBudget(10L * MIB, 10_000, () -> links, false);

    private MinaClientLink link(int unsent) {
        DummySession session = new DummySession();
        MinaClientLink link = new MinaClientLink(session, 8L * MIB, MIB, 60_000, new TokenBucket(100, 100), MIB,
                MessageStages.OFF, budget);
        session.setAttribute("parley.link", link);
        session.increaseScheduledWriteBytes(unsent);
        links.add(link);
        return link;
    }

    /** {@code link}'s socket took {@code bytes} at {@code now}, and as much more was queued for it. */
    private static void reads(MinaClientLink link, int bytes, long now) {
        DummySession session = (DummySession) link.session();
        session.increaseWrittenBytes(bytes, now);
        session.increaseScheduledWriteBytes(bytes);
    }

    @Test
    void overTheBoundTheConnectionsLongestWithoutReadingAreClosedAndNeverAReader() {
        long t0 = System.currentTimeMillis();
        MinaClientLink reader = link(2 * MIB);
        MinaClientLink a = link(4 * MIB);
        MinaClientLink b = link(4 * MIB);
        MinaClientLink c = link(4 * MIB);
        budget.sweep(t0);
        assertThat(budget.total()).isEqualTo(14L * MIB);
        assertThat(budget.over()).isTrue();
        for (int s = 1; s <= 13; s++) {
            long now = t0 + s * 1000L;
            reads(reader, 100_000, now); // its backlog stays, but its socket keeps taking bytes
            if (s == 1) {
                reads(b, 100_000, now); // b and c read a little, a while ago; a never
            } else if (s == 2) {
                reads(c, 100_000, now);
            }
            budget.sweep(now);
            for (MinaClientLink l : links) {
                if (l.session().isClosing()) {
                    l.releaseUnsent(); // as the connection's sessionClosed does
                }
            }
            if (s <= 10) {
                assertThat(links).as("at %d s", s).noneMatch(l -> l.session().isClosing());
            }
        }
        // From t0 + 11 s a, then b and c, are more than 10 s behind; closing a, the longest behind, brought the total
        // within the bound, so b and c stay (they are paused meanwhile: nothing more is built for them).
        assertThat(a.session().isClosing()).as("a, longest behind").isTrue();
        assertThat(b.session().isClosing()).as("b").isFalse();
        assertThat(c.session().isClosing()).as("c").isFalse();
        assertThat(reader.session().isClosing()).as("the reader").isFalse();
        assertThat(budget.over()).isFalse();
    }

    @Test
    void withinTheBoundNobodyIsClosedAndPagesAreWhole() {
        long t0 = System.currentTimeMillis();
        MinaClientLink a = link(4 * MIB);
        link(4 * MIB);
        budget.sweep(t0 + 60_000);
        assertThat(budget.over()).isFalse();
        assertThat(links).noneMatch(l -> l.session().isClosing());
        assertThat(a.pageBytes(MIB)).isEqualTo(MIB);
        link(4 * MIB).reportUnsent(); // as a write does
        assertThat(a.pageBytes(MIB)).as("over the bound: small pages").isEqualTo(64 * 1024);
    }

    /** A connection whose writes stay queued (its socket takes nothing) and that encodes frames as the server does. */
    private MinaClientLink notReading() {
        DummySession session = new DummySession();
        session.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ParleyCodecFactory(MIB, MIB)));
        MinaClientLink link = new MinaClientLink(session, 8L * MIB, MIB, 60_000, new TokenBucket(100, 100), MIB,
                MessageStages.OFF, budget);
        session.setAttribute("parley.link", link);
        session.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageSent(IoSession s, Object message) {
                link.sent(message); // as ConnectionHandler does
            }
        });
        session.suspendWrite();
        links.add(link);
        return link;
    }

    /** {@code link}'s socket takes what it has queued, one write at a time, as MINA's I/O thread does. */
    private static void readsAll(MinaClientLink link) {
        DummySession session = (DummySession) link.session();
        while (!session.getWriteRequestQueue().isEmpty(session)) {
            session.increaseWrittenBytes((int) session.getScheduledWriteBytes(), System.currentTimeMillis());
            session.getProcessor().flush(session);
        }
    }

    private static EncodedFrame push(int textBytes) {
        return EncodedFrame.of(Frame.push(new Chat.NewMessage(new Chat.ChatMessage(1, 1, 1, "ann", "m1",
                Chat.Kind.TEXT, "x".repeat(textBytes), List.of(), 0, List.of(), 0, false, 0))), MIB);
    }

    @Test
    void aPushWrittenToManyConnectionsCountsOnceUntilTheLastHasSentIt() {
        List<MinaClientLink> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            members.add(notReading());
        }
        EncodedFrame frame = push(100_000);
        int size = frame.size(1);
        members.forEach(m -> m.push(frame));

        assertThat(members).allMatch(m -> m.unsent() == size); // each connection's own bound sees its backlog
        assertThat(budget.total()).as("one buffer in memory, counted once, not 100 times").isEqualTo(size);
        assertThat(budget.over()).isFalse();
        for (int i = 0; i < 99; i++) {
            readsAll(members.get(i));
        }
        assertThat(budget.total()).as("the last holder still has it").isEqualTo(size);
        readsAll(members.get(99));
        assertThat(budget.total()).isZero();
        assertThat(budget.sharedBuffers()).isZero();
    }

    @Test
    void aClosedConnectionLetsGoOfTheSharedPushesItHeld() {
        MinaClientLink a = notReading();
        MinaClientLink b = notReading();
        EncodedFrame one = push(1000);
        EncodedFrame two = push(2000);
        for (MinaClientLink l : List.of(a, b)) {
            l.push(one);
            l.push(two);
        }
        assertThat(budget.total()).isEqualTo(one.size(1) + two.size(1));
        readsAll(a);
        assertThat(budget.total()).as("b still holds both").isEqualTo(one.size(1) + two.size(1));
        b.releaseUnsent(); // b closed, as its sessionClosed does
        assertThat(budget.total()).isZero();
        assertThat(budget.sharedBuffers()).isZero();
    }

    @Test
    void aConnectionThatNeverReadsIsStillClosedAtItsOwnBoundWhenItsPushesAreShared() {
        MinaClientLink reader = notReading();
        MinaClientLink stuck = notReading();
        EncodedFrame frame = push(60_000);
        for (int i = 0; i < 8L * MIB / frame.size(1) + 2; i++) {
            reader.push(frame);
            readsAll(reader);
            stuck.push(frame);
        }
        assertThat(stuck.session().isClosing()).as("over max-outbound-bytes: closed").isTrue();
        assertThat(reader.session().isClosing()).isFalse();
    }

    @Test
    void aClosedConnectionNoLongerCounts() {
        MinaClientLink a = link(4 * MIB);
        link(MIB);
        budget.sweep(System.currentTimeMillis());
        assertThat(budget.total()).isEqualTo(5L * MIB);
        a.releaseUnsent();
        a.reportUnsent();
        assertThat(budget.total()).isEqualTo(MIB);
    }
}
