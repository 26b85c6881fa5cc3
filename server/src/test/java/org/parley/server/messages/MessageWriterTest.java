package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.common.ParleyException;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.storage.h2.H2Storage;

/**
 * The writer against a real H2 store, with the race made deterministic through the store port: a store that holds
 * the first batch until the sends of the next are queued, and deletes a group just before writing that batch (as an
 * administrator's DeleteGroup that lands after those sends were checked and before they are stored).
 */
class MessageWriterTest {

    @TempDir
    Path dir;

    /** The store port around the real one: holds the first append; runs {@code beforeSecond} before the second. */
    private static final class RacingStore implements MessageStore {
        final MessageStore real;
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger appends = new AtomicInteger();
        final Runnable beforeSecond;

        RacingStore(MessageStore real, Runnable beforeSecond) {
            this.real = real;
            this.beforeSecond = beforeSecond;
        }

        @Override
        public List<AppendResult> append(List<Draft> drafts) {
            int n = appends.incrementAndGet();
            if (n == 1) {
                firstEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (n == 2) {
                beforeSecond.run();
            }
            return real.append(drafts);
        }

        @Override
        public List<StoredMessage> after(long conversationId, long afterSeq, int limit) {
            return real.after(conversationId, afterSeq, limit);
        }

        @Override
        public List<StoredMessage> before(long conversationId, long beforeSeq, int limit) {
            return real.before(conversationId, beforeSeq, limit);
        }

        @Override
        public long lastSeq(long conversationId) {
            return real.lastSeq(conversationId);
        }

        @Override
        public List<LastSeq> lastSeqs() {
            return real.lastSeqs();
        }

        @Override
        public boolean clientIdUsed(long senderId, String clientMessageId) {
            return real.clientIdUsed(senderId, clientMessageId);
        }

        @Override
        public List<Authorship> authors(long conversationId, long afterSeq, long upToSeq) {
            return real.authors(conversationId, afterSeq, upToSeq);
        }

        @Override
        public long[] changesAfter(long conversationId, long afterSeq) {
            return real.changesAfter(conversationId, afterSeq);
        }

        @Override
        public java.util.Optional<StoredMessage> message(long conversationId, long seq) {
            return real.message(conversationId, seq);
        }

        @Override
        public void deleteConversation(long conversationId) {
            real.deleteConversation(conversationId);
        }
    }

    private static Draft text(long conversation, long sender, String clientId) {
        return new Draft(conversation, sender, clientId, Kind.TEXT, 5000, "text of " + clientId, new byte[0]);
    }

    @ParameterizedTest(name = "mvstore log={0}")
    @ValueSource(booleans = {false, true})
    void aSendRacingTheDeletionOfItsGroupFailsAloneAndTheRestOfItsBatchIsStored(boolean mvstoreLog)
            throws Exception {
        try (H2Storage storage = H2Storage.open(dir, false, mvstoreLog)) {
            long ann = storage.accounts().create("ann", "Ann", "$argon2id$x", false, 1).id();
            long bob = storage.accounts().create("bob", "Bob", "$argon2id$x", false, 1).id();
            long kept = storage.conversations().createGroup("kept", ann, List.of(bob), 1).id();
            long doomed = storage.conversations().createGroup("doomed", ann, List.of(bob), 1).id();
            RacingStore store = new RacingStore(storage.messages(),
                    () -> assertThat(storage.conversations().deleteGroup(doomed)).isTrue());
            List<MessageWriter.Stored> fannedOut = new ArrayList<>();
            try (MessageWriter writer = new MessageWriter(store, b -> {
                synchronized (fannedOut) {
                    fannedOut.addAll(b);
                }
            }, 100, 100)) {
                CompletableFuture<AppendResult> first = writer.submit(text(kept, ann, "first"), null);
                assertThat(store.firstEntered.await(30, TimeUnit.SECONDS)).isTrue();
                // Queued behind the held batch: written together in the next one.
                CompletableFuture<AppendResult> bobs = writer.submit(text(kept, bob, "bob-1"), null);
                CompletableFuture<AppendResult> racing = writer.submit(text(doomed, ann, "to-doomed"), null);
                CompletableFuture<AppendResult> anns = writer.submit(text(kept, ann, "ann-2"), null);
                store.release.countDown();

                assertThat(first.get(30, TimeUnit.SECONDS).message().seq()).isEqualTo(1);
                assertThat(bobs.get(30, TimeUnit.SECONDS).message().seq()).isEqualTo(2);
                assertThat(anns.get(30, TimeUnit.SECONDS).message().seq()).isEqualTo(3);
                assertThatThrownBy(() -> racing.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ParleyException.class)
                        .satisfies(e -> assertThat(((ParleyException) e).code())
                                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION));
            }
            assertThat(storage.messages().after(kept, 0, 10)).extracting(StoredMessage::clientMessageId)
                    .containsExactly("first", "bob-1", "ann-2");
            assertThat(fannedOut).extracting(s -> s.message().clientMessageId())
                    .containsExactly("first", "bob-1", "ann-2");
        }
    }
}
