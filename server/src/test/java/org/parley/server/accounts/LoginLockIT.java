package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Locks of an account and of an address: their clear error, and their end (locks of 2 s here). */
class LoginLockIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--login-lock-seconds", "2",
            "--login-delay-ms", "20", "--login-max-delay-ms", "400", "--login-account-free-failures", "1",
            "--login-account-lock-failures", "4", "--login-address-free-failures", "2",
            "--login-address-lock-failures", "6");

    /** Wrong passwords until the answer is a lock (not just "try again in"), at most {@code tries}. */
    private static Session.ErrorReply failUntilLocked(List<TestConnection> from, String user, int tries) {
        for (int i = 0; i < tries; i++) {
            Session.ErrorReply e = from.get(i % from.size()).error(new Accounts.Login(user, "wrong-" + i, ""));
            if (e.code() == ErrorCode.LOGIN_LOCKED && e.message().contains("paused")) {
                return e;
            }
            assertThat(e.code()).isIn(ErrorCode.AUTHENTICATION_FAILED, ErrorCode.LOGIN_LOCKED);
            sleepQuietly(e.code() == ErrorCode.LOGIN_LOCKED ? 100 : 0);
        }
        throw new AssertionError("no lock after " + tries + " wrong passwords");
    }

    @Test
    void anAccountLockIsClearAndEnds() throws Exception {
        server.register("ann").close();
        List<TestConnection> strangers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            strangers.add(server.connectFrom("127.0.0." + (20 + i))); // each below its address's limits
        }
        Session.ErrorReply lock = failUntilLocked(strangers, "ann", 40);
        assertThat(lock.message()).contains("this account").containsPattern("paused for [12] s");

        // The right password from a new address: refused without a check, the connection stays.
        TestConnection newcomer = server.connectFrom("127.0.0.50");
        Session.ErrorReply refused = newcomer.error(new Accounts.Login("ann", "password-ann", ""));
        assertThat(refused.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
        assertThat(ErrorCode.LOGIN_LOCKED.fatal()).isFalse();
        assertThat(newcomer.isClosed()).isFalse();

        // The lock ends by itself (polling does not extend it: refused attempts are not failures).
        Accounts.LoggedIn in = until(() -> newcomer.call(new Accounts.Login("ann", "password-ann", "")));
        assertThat(in.user()).isEqualTo("ann");
    }

    @Test
    void anAddressSprayingAccountsIsLockedForEveryAccountThenFreed() throws Exception {
        server.register("ann").close();
        TestConnection sprayer = server.connectFrom("127.0.0.60");
        Session.ErrorReply lock = null;
        for (int i = 0; i < 40 && lock == null; i++) {
            Session.ErrorReply e = sprayer.error(new Accounts.Login("user" + i, "wrong", ""));
            if (e.code() == ErrorCode.LOGIN_LOCKED && e.message().contains("paused")) {
                lock = e;
            }
            sleepQuietly(e.code() == ErrorCode.LOGIN_LOCKED ? 100 : 0);
        }
        assertThat(lock).as("the address gets locked").isNotNull();
        assertThat(lock.message()).contains("from your address");
        Session.ErrorReply refused = sprayer.error(new Accounts.Login("ann", "password-ann", ""));
        assertThat(refused.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
        assertThat(server.connectFrom("127.0.0.60").error(new Accounts.Register("zed", "password-zed", "", ""))
                .code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
        // Other addresses are not concerned.
        assertThat(server.connectFrom("127.0.0.61").request(new Accounts.Login("ann", "password-ann", ""),
                Accounts.LoggedIn.class).user()).isEqualTo("ann");
        assertThat(until(() -> sprayer.call(new Accounts.Login("ann", "password-ann", ""))).user())
                .isEqualTo("ann");
    }

    /** Repeats a login until it answers LoggedIn, while it answers LOGIN_LOCKED (at most a minute). */
    private static Accounts.LoggedIn until(java.util.function.Supplier<Message> login) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            Message m = login.get();
            if (m instanceof Accounts.LoggedIn in) {
                return in;
            }
            assertThat(((Session.ErrorReply) m).code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
            sleepQuietly(200);
        }
        throw new AssertionError("still locked after a minute");
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
