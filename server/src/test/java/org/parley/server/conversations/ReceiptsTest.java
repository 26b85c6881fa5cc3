package org.parley.server.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.OnlineUsers;
import org.parley.server.storage.h2.H2Storage;

/** The write-behind marks, against a real H2 store whose mark writes the test can hold. */
class ReceiptsTest {

    @TempDir
    Path dir;

    /**
     * While a flush is writing a mark, anyone reading the member row (the unread counts of a group's
     * ConversationUpdated, a conversation list) sees the mark already moved: neither the old stored value nor a
     * step back until the write commits.
     */
    @Test
    void aMarkBeingWrittenIsNeverSeenGoingBack() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (H2Storage storage = H2Storage.open(dir, false)) {
            long ann = storage.accounts().create("ann", "Ann", "$argon2id$x", false, 1).id();
            long bob = storage.accounts().create("bob", "Bob", "$argon2id$x", false, 1).id();
            long group = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ConversationStore real = storage.conversations();
            ConversationStore held = (ConversationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("updateMarks")) {
                            writing.countDown();
                            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Receipts receipts = new Receipts(held, storage.messages(), new MembershipCache(held), new OnlineUsers(),
                    new NameCache(storage.accounts(), 1000), timer, 3_600_000);
            receipts.mark(group, bob, 5, 3);
            CompletableFuture<Void> flush = CompletableFuture.runAsync(receipts::flush);
            assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();

            Member stored = real.members(group).stream().filter(m -> m.accountId() == bob).findFirst().orElseThrow();
            Member seen = receipts.overlay(stored);
            assertThat(seen.deliveredUpTo()).as("delivered, while the write is under way").isEqualTo(5);
            assertThat(seen.readUpTo()).as("read, while the write is under way").isEqualTo(3);

            release.countDown();
            flush.get(30, TimeUnit.SECONDS);
            Member after = real.members(group).stream().filter(m -> m.accountId() == bob).findFirst().orElseThrow();
            assertThat(receipts.overlay(after).readUpTo()).isEqualTo(3);
            assertThat(after.readUpTo()).as("written").isEqualTo(3);
        } finally {
            timer.shutdownNow();
        }
    }
}
