package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

/**
 * The per-address limits that hold before login (connections not logged in, log lines about misbehaving peers)
 * count an IPv6 peer by its /64 prefix, as the login throttle does: one subscriber usually gets a whole /64 and could
 * otherwise open {@code max-unauthenticated-per-address} connections, and write its share of log lines, from each of
 * 2^64 addresses. IPv4 addresses are counted one by one.
 */
class AddressPrefixTest {

    private static MinaClientLink from(String address) throws Exception {
        DummySession session = new DummySession();
        session.setRemoteAddress(new InetSocketAddress(InetAddress.getByName(address), 40000));
        return new MinaClientLink(session, 1 << 20, 1 << 20, 10_000, new TokenBucket(100, 100), 1 << 20);
    }

    @Test
    void connectionsNotLoggedInAreCountedPerIpv6Prefix() throws Exception {
        Strangers strangers = new Strangers(2);
        assertThat(strangers.admit(from("2001:db8:1:2::1"))).isTrue();
        assertThat(strangers.admit(from("2001:db8:1:2::2"))).isTrue();
        assertThat(strangers.admit(from("2001:db8:1:2:ffff:1:2:3"))).as("a third address of the same /64").isFalse();
        assertThat(strangers.admit(from("2001:db8:1:3::1"))).as("another /64").isTrue();
        assertThat(strangers.admit(from("192.0.2.1"))).isTrue();
        assertThat(strangers.admit(from("192.0.2.1"))).isTrue();
        assertThat(strangers.admit(from("192.0.2.2"))).as("IPv4 addresses one by one").isTrue();
    }

    @Test
    void aLeavingConnectionFreesItsPrefixsPlace() throws Exception {
        Strangers strangers = new Strangers(1);
        MinaClientLink first = from("2001:db8::1");
        assertThat(strangers.admit(first)).isTrue();
        assertThat(strangers.admit(from("2001:db8::2"))).isFalse();
        strangers.leave(first);
        assertThat(strangers.admit(from("2001:db8::2"))).isTrue();
    }

    @Test
    void logLinesAreCountedPerIpv6Prefix() throws Exception {
        Warnings warnings = new Warnings(2);
        long now = 1_000_000;
        assertThat(warnings.admit(InetAddress.getByName("2001:db8:1:2::1"), now)).isZero();
        assertThat(warnings.admit(InetAddress.getByName("2001:db8:1:2::2"), now)).isZero();
        assertThat(warnings.admit(InetAddress.getByName("2001:db8:1:2::3"), now)).as("the /64 had its share")
                .isEqualTo(-1);
        assertThat(warnings.admit(InetAddress.getByName("2001:db8:1:3::1"), now)).as("another /64").isZero();
        assertThat(warnings.admit(InetAddress.getByName("2001:db8:1:2::9"), now + 60_000))
                .as("a minute later, with the count of lines dropped").isEqualTo(1);
    }
}
