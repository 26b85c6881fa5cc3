package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

class PasswordChecksTest {

    private static ErrorCode refusal(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ParleyException p ? p.code() : null;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void strangersFillOnlyTheirShareAndKnownAddressesGoFirst() throws Exception {
        // One thread, 4 checks at most, half of them kept for known addresses.
        try (PasswordChecks checks = new PasswordChecks(1, 4, 50)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<String> blocker = checks.run(false, () -> {
                started.countDown();
                await(release);
                return "blocker";
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> stranger = checks.run(false, () -> {
                order.add("stranger");
                return "s";
            });
            CompletableFuture<String> refused = checks.run(false, () -> "never");
            assertThat(refusal(refused)).as("the strangers' share is used up").isEqualTo(ErrorCode.RATE_LIMITED);

            CompletableFuture<String> known1 = checks.run(true, () -> {
                order.add("known1");
                return "k1";
            });
            CompletableFuture<String> known2 = checks.run(true, () -> {
                order.add("known2");
                return "k2";
            });
            assertThat(refusal(checks.run(true, () -> "never"))).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(checks.pending()).isEqualTo(4);

            release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("blocker");
            assertThat(stranger.get(10, TimeUnit.SECONDS)).isEqualTo("s");
            assertThat(known1.get(10, TimeUnit.SECONDS)).isEqualTo("k1");
            assertThat(known2.get(10, TimeUnit.SECONDS)).isEqualTo("k2");
            assertThat(order).as("known addresses first, then in arrival order")
                    .containsExactly("known1", "known2", "stranger");
            assertThat(checks.pending()).isZero();
            assertThat(checks.run(false, () -> "again").get(10, TimeUnit.SECONDS)).isEqualTo("again");
        }
    }

    @Test
    void aFailingCheckFailsItsFutureAndFreesItsPlace() throws Exception {
        try (PasswordChecks checks = new PasswordChecks(1, 1, 0)) {
            CompletableFuture<String> f = checks.run(false, () -> {
                throw new ParleyException(ErrorCode.AUTHENTICATION_FAILED, "no");
            });
            assertThat(refusal(f)).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(checks.run(false, () -> "ok").get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
