package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.h2.H2Storage;

/**
 * The cache of user names against a real H2 store whose reads the test counts: right names throughout, never more
 * kept than its bound, the least recently used forgotten first (and read again), an unknown id not kept.
 */
class NameCacheTest {

    @TempDir
    Path dir;

    /** Account ids read from the store so far. */
    private final AtomicInteger reads = new AtomicInteger();

    /** The real store, its id lookups counted. */
    private AccountStore counted(AccountStore real) {
        return (AccountStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AccountStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findById")) {
                        reads.incrementAndGet();
                    } else if (method.getName().equals("findByIds")) {
                        reads.addAndGet(((Collection<?>) args[0]).size());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static List<Long> accounts(H2Storage storage, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(storage.accounts().create(String.format("u%03d", i), "U " + i, "$argon2id$x", false, 1).id());
        }
        return ids;
    }

    @Test
    void keepsNoMoreThanItsBoundAndReadsAForgottenNameAgain() throws Exception {
        try (H2Storage storage = H2Storage.open(dir, false)) {
            List<Long> ids = accounts(storage, 200);
            NameCache names = new NameCache(counted(storage.accounts()), 32);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(names.name(ids.get(i))).isEqualTo(String.format("u%03d", i));
            }
            assertThat(names.size()).as("names kept").isLessThanOrEqualTo(32);
            assertThat(reads.get()).isEqualTo(200);
            // The first ones were forgotten: asked again, they are read again, and right.
            assertThat(names.name(ids.get(0))).isEqualTo("u000");
            assertThat(reads.get()).isEqualTo(201);
            // Many at once: every name answered, the missing ones read in one go, still within the bound.
            Map<Long, String> all = names.names(ids);
            assertThat(all).hasSize(200);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(all.get(ids.get(i))).isEqualTo(String.format("u%03d", i));
            }
            assertThat(names.size()).isLessThanOrEqualTo(32);
        }
    }

    @Test
    void aNameInUseStaysWhileOthersComeAndGo() throws Exception {
        try (H2Storage storage = H2Storage.open(dir, false)) {
            List<Long> ids = accounts(storage, 200);
            NameCache names = new NameCache(counted(storage.accounts()), 32);
            long busy = ids.get(0);
            for (long other : ids.subList(1, ids.size())) {
                assertThat(names.name(busy)).isEqualTo("u000");
                names.name(other);
            }
            assertThat(reads.get()).as("u000 read once, each other once").isEqualTo(200);
            assertThat(names.name(busy)).isEqualTo("u000");
            assertThat(reads.get()).isEqualTo(200);
        }
    }

    @Test
    void anIdWithoutAnAccountIsAnsweredButNotKept() throws Exception {
        try (H2Storage storage = H2Storage.open(dir, false)) {
            NameCache names = new NameCache(counted(storage.accounts()), 32);
            assertThat(names.name(424_242)).isEqualTo("?");
            assertThat(names.name(424_242)).isEqualTo("?");
            assertThat(reads.get()).isEqualTo(2);
            assertThat(names.names(List.of(424_242L))).isEmpty();
            assertThat(names.size()).isZero();
        }
    }

    @Test
    void aBoundBelowOneNamePerStripeIsRefused() {
        assertThatThrownBy(() -> new NameCache(null, 15)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16");
    }
}
