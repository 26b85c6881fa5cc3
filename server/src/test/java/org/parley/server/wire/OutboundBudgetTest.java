package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.session.DummySession;
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
