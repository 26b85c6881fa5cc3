package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A login held back by the throttle holds no thread: with more logins waiting than the server has request
 * workers (32), everyone else is still served, and the held logins are answered when their time comes.
 */
class LoginDelayIT {

    /** Every address is spaced from its first failure on, by 8 s (the longest wait allowed). */
    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--login-address-free-failures", "0",
            "--login-delay-ms", "8000", "--login-max-delay-ms", "8000");

    @Test
    void heldLoginsDoNotHoldTheRequestWorkers() throws Exception {
        TestConnection ann = server.register("ann");
        List<TestConnection> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TestConnection c = server.connectFrom("127.0.1." + (10 + i));
            // A first failure from each address (answered at once); its next attempt waits for its slot.
            assertThat(c.error(new Accounts.Login("nobody" + i, "wrong", "")).code())
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            held.add(c);
        }
        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            answers.add(held.get(i).callAsync(new Accounts.Login("nobody" + i, "wrong again", "")));
        }
        // Meanwhile the logged-in user is answered, and a newcomer gets Welcome, logs in and is answered.
        assertThat(ann.request(new Session.Ping(42), Session.Pong.class).nonce()).isEqualTo(42);
        server.register("bob").request(new Session.Ping(1), Session.Pong.class);
        long stillHeld = answers.stream().filter(f -> !f.isDone()).count();
        assertThat(stillHeld).as("logins still waiting for their slot while the others were served").isPositive();
        for (CompletableFuture<Message> f : answers) {
            Message m = f.get(30, TimeUnit.SECONDS);
            assertThat(m).isInstanceOfSatisfying(Session.ErrorReply.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        }
    }
}
