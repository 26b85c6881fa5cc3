package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/** Finishing takes turns between accounts, and refuses at once when too much waits. */
class FinishersTest {

    @Test
    void accountsTakeTurnsSoOneUsersPicturesDoNotHoldUpAnothers() throws Exception {
        try (Finishers finishers = new Finishers(1, 8)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<String> a1 = finishers.submit(1, () -> {
                started.countDown();
                await(release);
                order.add("a1");
                return "a1";
            });
            started.await(30, TimeUnit.SECONDS);
            CompletableFuture<String> a2 = finishers.submit(1, () -> record(order, "a2"));
            CompletableFuture<String> a3 = finishers.submit(1, () -> record(order, "a3"));
            CompletableFuture<String> b1 = finishers.submit(2, () -> record(order, "b1"));
            release.countDown();
            CompletableFuture.allOf(a1, a2, a3, b1).get(30, TimeUnit.SECONDS);
            assertThat(order).as("bob's finish goes before ann's second and third").containsExactly("a1", "b1", "a2",
                    "a3");
        }
    }

    @Test
    void tooManyWaitingIsRefusedAtOnce() throws Exception {
        try (Finishers finishers = new Finishers(1, 4)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            finishers.submit(1, () -> {
                started.countDown();
                return await(release);
            });
            started.await(30, TimeUnit.SECONDS);
            CompletableFuture<String> queued = finishers.submit(1, () -> "queued"); // more than a quarter of 4
            CompletableFuture<String> queuedToo = finishers.submit(1, () -> "queued too"); // waiting is refused
            assertThatThrownBy(() -> finishers.submit(1, () -> "more")).isInstanceOfSatisfying(ParleyException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
            // 4 waiting, plus one per thread about to start: 5 in all.
            for (long account = 2; account <= 4; account++) {
                finishers.submit(account, () -> "others");
            }
            assertThatThrownBy(() -> finishers.submit(9, () -> "full")).isInstanceOfSatisfying(ParleyException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            release.countDown();
            assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo("queued");
            assertThat(queuedToo.get(30, TimeUnit.SECONDS)).isEqualTo("queued too");
            assertThat(finishers.submit(1, () -> "later").get(30, TimeUnit.SECONDS)).isEqualTo("later");
        }
    }

    @Test
    void aFailureReachesItsCallerOnly() throws Exception {
        try (Finishers finishers = new Finishers(2, 4)) {
            CompletableFuture<String> bad = finishers.submit(1, () -> {
                throw new ParleyException(ErrorCode.INVALID_MEDIA, "bad picture");
            });
            CompletableFuture<String> good = finishers.submit(1, () -> "fine");
            assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo("fine");
            assertThat(bad).failsWithin(30, TimeUnit.SECONDS);
        }
    }

    private static String record(List<String> order, String name) {
        order.add(name);
        return name;
    }

    private static String await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "released";
    }
}
