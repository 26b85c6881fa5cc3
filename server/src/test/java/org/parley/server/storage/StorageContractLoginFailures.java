package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.parley.server.accounts.LoginFailures;
import org.parley.server.accounts.LoginFailures.Tally;

/** The failed logins the nodes count together (schema V13): counting, locking, forgetting, concurrent nodes. */
public abstract class StorageContractLoginFailures extends StorageContractSupport {

    private static final long LOCK = 900_000;

    private LoginFailures store() {
        return storage.loginFailures();
    }

    @Test
    void failuresAreCountedUntilTheLockAndEachKindApart() {
        assertThat(store().read("account", "ann")).isNull();
        for (int i = 1; i < 3; i++) {
            assertThat(store().failed("account", "ann", 1000 + i, 3, LOCK)).isEqualTo(new Tally(i, 1000 + i, 0));
        }
        assertThat(store().failed("account", "ann", 1003, 3, LOCK)).isEqualTo(new Tally(3, 1003, 1003 + LOCK));
        assertThat(store().read("account", "ann")).isEqualTo(new Tally(3, 1003, 1003 + LOCK));
        assertThat(store().read("address", "ann")).isNull();
        // Further failures during the lock do not move it.
        assertThat(store().failed("account", "ann", 2000, 3, LOCK).lockedUntil()).isEqualTo(1003 + LOCK);
    }

    @Test
    void aSuccessForgetsUnlessLockedAndOldFailuresAreForgotten() {
        store().failed("account", "bob", 1000, 3, LOCK);
        store().succeeded("account", "bob", 1001);
        assertThat(store().read("account", "bob")).isNull();
        for (int i = 0; i < 3; i++) {
            store().failed("account", "cat", 1000, 3, LOCK);
        }
        store().succeeded("account", "cat", 1001);
        assertThat(store().read("account", "cat").failures()).isEqualTo(3);
        // After the lock and a lock's time without failures, counting starts again.
        long later = 1000 + 2 * LOCK;
        assertThat(store().failed("account", "cat", later, 3, LOCK)).isEqualTo(new Tally(1, later, 1000 + LOCK));
    }

    @Test
    void nodesCountingAtOnceLoseNoFailure() {
        List<CompletableFuture<Tally>> all = IntStream.range(0, 40)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> store().failed("address", "10.0.0.9", 5000, 1000,
                        LOCK)))
                .toList();
        all.forEach(CompletableFuture::join);
        assertThat(store().read("address", "10.0.0.9").failures()).isEqualTo(40);
    }
}
