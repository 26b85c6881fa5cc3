package org.parley.server.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;
import org.parley.server.common.StorageException;
import org.parley.server.testing.PostgresExtension;

/**
 * What only the PostgreSQL adapter has to show: several servers on one database (two storages, two pools) still
 * assign every conversation's sequence numbers gap-free and in order, and a resend that reaches the other one is
 * answered as a duplicate; a database that cannot be reached is a clear error.
 */
class PostgresStorageTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void twoServersOnOneDatabaseAssignGapFreeSequencesAndShareIdempotency() throws Exception {
        String url = PG.newDatabase();
        try (PostgresStorage a = PostgresStorage.open(url, PostgresExtension.USER, PG.password(), 4);
                PostgresStorage b = PostgresStorage.open(url, PostgresExtension.USER, PG.password(), 4)) {
            long ann = a.accounts().create("ann", "Ann", "h", false, 1).id();
            long bob = a.accounts().create("bob", "Bob", "h", false, 1).id();
            long c = a.conversations().findOrCreateDirect(ann, bob, 1).id();
            int writers = 4;
            int batches = 25;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                PostgresStorage node = w % 2 == 0 ? a : b;
                long sender = w % 2 == 0 ? ann : bob;
                int writer = w;
                done.add(pool.submit((Callable<List<Long>>) () -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < batches; i++) {
                        List<Draft> batch = List.of(draft(c, sender, writer + "-" + i + "-x"),
                                draft(c, sender, writer + "-" + i + "-y"));
                        for (AppendResult r : node.messages().append(batch)) {
                            seqs.add(r.message().seq());
                        }
                    }
                    return seqs;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : done) {
                List<Long> seqs = f.get();
                assertThat(seqs).as("one writer's numbers rise").isSorted();
                all.addAll(seqs);
            }
            pool.shutdown();
            int total = writers * batches * 2;
            assertThat(all).as("gap-free, each number once").containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(b.messages().lastSeq(c)).isEqualTo(total);
            assertThat(a.messages().after(c, 0, total + 1)).extracting(StoredMessage::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());

            // The same client message id, resent through the other server: the stored message, not a new one.
            AppendResult first = a.messages().append(List.of(draft(c, ann, "resend-me"))).get(0);
            AppendResult again = b.messages().append(List.of(draft(c, ann, "resend-me"))).get(0);
            assertThat(again.duplicate()).isTrue();
            assertThat(again.message().seq()).isEqualTo(first.message().seq());
        }
    }

    /**
     * Two servers' writers whose batches name the same two conversations in opposite orders: each batch locks its
     * conversations in id order, so neither waits for a row the other holds (a deadlock would abort one batch).
     */
    @Test
    void batchesOverTheSameConversationsInOppositeOrdersDoNotDeadlock() throws Exception {
        String url = PG.newDatabase();
        try (PostgresStorage a = PostgresStorage.open(url, PostgresExtension.USER, PG.password(), 4);
                PostgresStorage b = PostgresStorage.open(url, PostgresExtension.USER, PG.password(), 4)) {
            long ann = a.accounts().create("ann", "Ann", "h", false, 1).id();
            long bob = a.accounts().create("bob", "Bob", "h", false, 1).id();
            long cid = a.accounts().create("cid", "Cid", "h", false, 1).id();
            long x = a.conversations().findOrCreateDirect(ann, bob, 1).id();
            long y = a.conversations().findOrCreateDirect(ann, cid, 1).id();
            int batches = 40;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> forward = pool.submit(() -> {
                for (int i = 0; i < batches; i++) {
                    a.messages().append(List.of(draft(x, ann, "f-x-" + i), draft(y, ann, "f-y-" + i)));
                }
                return null;
            });
            Future<?> backward = pool.submit(() -> {
                for (int i = 0; i < batches; i++) {
                    b.messages().append(List.of(draft(y, cid, "b-y-" + i), draft(x, bob, "b-x-" + i)));
                }
                return null;
            });
            forward.get();
            backward.get();
            pool.shutdown();
            for (long c : List.of(x, y)) {
                assertThat(a.messages().after(c, 0, 1000)).extracting(StoredMessage::seq)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2L * batches).boxed()
                                .toList());
            }
        }
    }

    @Test
    void anUnreachableDatabaseIsAClearError() {
        assertThatThrownBy(() -> PostgresStorage.open(PG.url("no_such_database"), PostgresExtension.USER,
                PG.password(), 2)).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot connect to PostgreSQL").hasMessageContaining("no_such_database");
        assertThatThrownBy(() -> PostgresStorage.open(PG.url("postgres"), PostgresExtension.USER, "wrong", 2))
                .isInstanceOf(StorageException.class).hasMessageContaining("password authentication failed");
    }

    private static Draft draft(long conversation, long sender, String clientId) {
        return new Draft(conversation, sender, clientId, Kind.TEXT, 5000, "text " + clientId, new byte[0]);
    }
}
