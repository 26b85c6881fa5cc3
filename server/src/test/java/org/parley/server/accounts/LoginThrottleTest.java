package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.parley.protocol.ErrorCode;
import org.parley.server.accounts.LoginThrottle.Outcome;
import org.parley.server.accounts.LoginThrottle.Ticket;
import org.parley.server.common.ParleyException;

/** The throttle's rules, on a clock the test moves (nothing waits). */
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** Account: 3 free, lock at 6; address: 5 free, lock at 12; 100 ms doubling to 800 ms; locks of 60 s. */
    private LoginThrottle throttle() {
        return new LoginThrottle(new LoginLimits(3, 6, 5, 12, 100, 800, 60_000, 2, 1, 8, 25, 1000), now::get);
    }

    private static ErrorCode refusal(Runnable r) {
        try {
            r.run();
        } catch (ParleyException e) {
            return e.code();
        }
        return null;
    }

    /** One failed attempt from {@code address}, after waiting what it was told to wait. */
    private void fail(LoginThrottle t, String account, String address) {
        Ticket ticket = t.admit(account, address);
        now.addAndGet(ticket.delayMillis());
        t.finish(ticket, Outcome.FAILED);
    }

    @Test
    void failuresSpaceAnAccountsAttemptsOutThenLockItForStrangers() {
        LoginThrottle t = throttle();
        for (int i = 0; i < 3; i++) {
            Ticket ticket = t.admit("ann", "10.0.0." + i);
            assertThat(ticket.delayMillis()).as("free failures").isZero();
            t.finish(ticket, Outcome.FAILED);
        }
        // From the fourth on, attempts (from any address) are spaced: 100 ms, then 200, 400.
        Ticket fourth = t.admit("ann", "10.0.0.9");
        assertThat(fourth.delayMillis()).isEqualTo(100);
        Ticket fifth = t.admit("ann", "10.0.0.8");
        assertThat(fifth.delayMillis()).as("spaced behind the fourth, which is still under way").isGreaterThan(100);
        now.addAndGet(fifth.delayMillis());
        t.finish(fourth, Outcome.FAILED);
        t.finish(fifth, Outcome.FAILED);
        fail(t, "ann", "10.0.0.7"); // the sixth failure: locked

        assertThatThrownBy(() -> t.admit("ann", "10.0.0.200")).isInstanceOfSatisfying(ParleyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
            assertThat(e.getMessage()).contains("this account").contains("60 s").contains("still works");
        });
        // Other accounts are not concerned.
        assertThat(t.admit("bob", "10.0.0.200").delayMillis()).isZero();
    }

    @Test
    void aKnownDeviceAndAResumedOneGetInWhileTheAccountIsLocked() {
        LoginThrottle t = throttle();
        Ticket first = t.admit("ann", "192.168.1.5");
        t.finish(first, Outcome.SUCCEEDED);
        t.resumed("ann", "192.168.1.6");
        for (int i = 0; i < 6; i++) {
            fail(t, "ann", "10.0.0." + i);
        }
        assertThat(refusal(() -> t.admit("ann", "10.0.0.99"))).isEqualTo(ErrorCode.LOGIN_LOCKED);

        Ticket owner = t.admit("ann", "192.168.1.5");
        assertThat(owner.delayMillis()).as("neither the account's spacing nor its lock").isZero();
        assertThat(owner.knownAddress()).isTrue();
        t.finish(owner, Outcome.SUCCEEDED);
        assertThat(t.admit("ann", "192.168.1.6").delayMillis()).isZero();
        // The owner's success does not unlock the account for strangers.
        assertThat(refusal(() -> t.admit("ann", "10.0.0.99"))).isEqualTo(ErrorCode.LOGIN_LOCKED);
    }

    @Test
    void aLockEndsAndTheFailuresAreForgotten() {
        LoginThrottle t = throttle();
        for (int i = 0; i < 6; i++) {
            fail(t, "ann", "10.0.0." + i);
        }
        assertThat(refusal(() -> t.admit("ann", "10.0.0.50"))).isEqualTo(ErrorCode.LOGIN_LOCKED);
        now.addAndGet(59_000);
        assertThat(refusal(() -> t.admit("ann", "10.0.0.50"))).isEqualTo(ErrorCode.LOGIN_LOCKED);
        now.addAndGet(1_000);
        Ticket after = t.admit("ann", "10.0.0.50");
        assertThat(after.delayMillis()).isZero();
        t.finish(after, Outcome.SUCCEEDED);
        assertThat(t.admit("ann", "10.0.0.51").delayMillis()).isZero();
    }

    @Test
    void anAddressThatSpraysManyAccountsIsLockedWhateverTheAccount() {
        LoginThrottle t = throttle();
        Ticket ok = t.admit("own", "10.9.9.9");
        t.finish(ok, Outcome.SUCCEEDED); // signing in to an account of its own resets nothing
        for (int i = 0; i < 12; i++) {
            fail(t, "user" + i, "10.9.9.9");
        }
        assertThatThrownBy(() -> t.admit("own", "10.9.9.9")).isInstanceOfSatisfying(ParleyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
            assertThat(e.getMessage()).contains("from your address");
        });
        assertThat(refusal(() -> t.admitRegistration("10.9.9.9"))).isEqualTo(ErrorCode.LOGIN_LOCKED);
        assertThat(t.admit("own", "10.9.9.10").delayMillis()).isZero();
    }

    @Test
    void anAddressHasAFewChecksUnderWayAtMost() {
        LoginThrottle t = throttle();
        Ticket a = t.admit("a1", "10.1.1.1");
        t.admitRegistration("10.1.1.1");
        assertThat(refusal(() -> t.admit("a2", "10.1.1.1"))).isEqualTo(ErrorCode.RATE_LIMITED);
        t.finish(a, Outcome.NOT_COUNTED);
        t.admit("a2", "10.1.1.1");
    }

    @Test
    void anAttemptThatWouldWaitTooLongIsRefusedNotQueued() {
        LoginThrottle t = throttle();
        for (int i = 0; i < 5; i++) {
            fail(t, "ann", "10.0.0." + i);
        }
        // Spacing is now 400 ms per attempt; the longest wait is 800 ms: the next few are queued, then refused.
        int admitted = 0;
        ErrorCode refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            String address = "10.0.1." + i;
            refused = refusal(() -> t.admit("ann", address));
            admitted += refused == null ? 1 : 0;
        }
        assertThat(refused).isEqualTo(ErrorCode.LOGIN_LOCKED);
        assertThat(admitted).isBetween(1, 3);
    }

    @Test
    void registrationsAreNeitherSuccessesNorFailures() {
        LoginThrottle t = throttle();
        Ticket r = t.admitRegistration("10.2.2.2");
        assertThat(r.knownAddress()).isFalse();
        t.finish(r, Outcome.SUCCEEDED);
        assertThat(t.isKnown("10.2.2.2")).isFalse();
    }

    @Test
    void knownAddressesAreForgottenAfterATokensLifetime() {
        LoginThrottle t = throttle();
        t.resumed("ann", "10.3.3.3");
        assertThat(t.isKnown("10.3.3.3")).isTrue();
        now.addAndGet(LoginLimits.KNOWN_FOR_MILLIS + 1);
        assertThat(t.isKnown("10.3.3.3")).isFalse();
    }

    @Test
    void anIpv6SubscriberIsCountedByItsSlash64() throws Exception {
        assertThat(LoginThrottle.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
                .isEqualTo(LoginThrottle.addressKey(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3")))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(LoginThrottle.addressKey(InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(
                LoginThrottle.addressKey(InetAddress.getByName("2001:db8:1:2::1")));
        assertThat(LoginThrottle.addressKey(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
    }
}
