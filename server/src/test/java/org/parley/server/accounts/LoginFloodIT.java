package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A flood of wrong passwords for one account, from many connections at many addresses (127.0.0.x: all loopback),
 * while its owner signs in: with the password from an address they signed in from before, and with a session
 * token from anywhere. Strangers are locked out with LOGIN_LOCKED; the owner never is, and nobody's connection
 * is closed.
 */
class LoginFloodIT {

    /** The default limits but shorter spacing, so that the lock comes within seconds. */
    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--login-delay-ms", "100",
            "--login-max-delay-ms", "1000");

    @Test
    void theOwnerSignsInThroughAFloodOfWrongPasswords() throws Exception {
        server.register("ann").close();
        // Ann signs in from her usual address (127.0.0.1) once before the attack, so it is known.
        server.login("ann").close();

        AtomicBoolean stop = new AtomicBoolean();
        Map<ErrorCode, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger guessed = new AtomicInteger();
        CountDownLatch locked = new CountDownLatch(1);
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String from = "127.0.0." + (10 + i % 20);
            int n = i;
            Thread t = new Thread(() -> {
                try (TestConnection c = server.connectFrom(from)) {
                    for (int k = 0; !stop.get(); k++) {
                        Message reply = c.call(new Accounts.Login("ann", "guess-" + n + "-" + k, "bot"));
                        if (reply instanceof Session.ErrorReply e) {
                            answers.computeIfAbsent(e.code(), x -> new AtomicInteger()).incrementAndGet();
                            if (e.code() == ErrorCode.LOGIN_LOCKED && e.message().contains("paused")) {
                                locked.countDown();
                            }
                            if (e.code() != ErrorCode.AUTHENTICATION_FAILED) {
                                Thread.sleep(10); // the test machine's sake: a refusal costs the server nothing
                            }
                        } else {
                            guessed.incrementAndGet();
                        }
                        if (c.isClosed()) {
                            closed.incrementAndGet();
                            return;
                        }
                    }
                } catch (Exception | AssertionError e) {
                    closed.incrementAndGet();
                }
            }, "attacker-" + i);
            t.setDaemon(true);
            attackers.add(t);
            t.start();
        }
        try {
            assertThat(locked.await(60, TimeUnit.SECONDS)).as("the account gets locked for strangers: " + answers)
                    .isTrue();
            for (int i = 0; i < 5; i++) {
                // The password from her known address...
                Accounts.LoggedIn in = server.connect().request(new Accounts.Login("ann", "password-ann", "laptop"),
                        Accounts.LoggedIn.class);
                assertThat(in.user()).isEqualTo("ann");
                // ... and her session token from a new one.
                Accounts.LoggedIn resumed = server.connectFrom("127.0.0.99").request(
                        new Accounts.Resume(in.token(), "phone"), Accounts.LoggedIn.class);
                assertThat(resumed.user()).isEqualTo("ann");
            }
            // The right password from an address she never signed in from is locked out too, clearly.
            Session.ErrorReply stranger = server.connectFrom("127.0.0.98").error(
                    new Accounts.Login("ann", "password-ann", "new laptop"));
            assertThat(stranger.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
            assertThat(stranger.message()).contains("this account").containsPattern("paused for \\d+ s")
                    .contains("signed in before");
            // Other accounts are served, from anywhere.
            server.register("bob").close();
            assertThat(server.connectFrom("127.0.0.97").request(new Accounts.Login("bob", "password-bob", ""),
                    Accounts.LoggedIn.class).user()).isEqualTo("bob");
        } finally {
            stop.set(true);
            for (Thread t : attackers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(closed.get()).as("no attacker connection was closed on it: " + answers).isZero();
        assertThat(answers.keySet()).as("what the flood was answered").doesNotContain(ErrorCode.UNAVAILABLE)
                .contains(ErrorCode.LOGIN_LOCKED);
        assertThat(guessed.get()).isZero();
    }
}
