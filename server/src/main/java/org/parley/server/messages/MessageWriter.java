package org.parley.server.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.MessageStages;
import org.parley.server.common.MessageStages.Stage;
import org.parley.server.common.ParleyException;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.common.ClientLink;
import org.parley.server.common.MissingConversationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes messages: it drains whatever has queued up (up to {@code maxBatch}) into one
 * {@link MessageStore#append} call — one transaction and one sync for the whole batch (group commit) — then
 * completes each sender's future and hands the batch's new messages to {@code fanOut} at once, in sequence order.
 * Under light load a batch is one message and nothing waits; under heavy load batches grow, and the sync cost and
 * the writes to each connection are shared.
 */
public final class MessageWriter implements AutoCloseable {

    /** {@code received} and {@code submitted}: stamps for the stage timings (0 when not timed). */
    private record Pending(Draft draft, ClientLink origin, CompletableFuture<AppendResult> result, long received,
            long submitted) {
    }

    /**
     * A message just stored, the connection it came from (null for the server's own), and when its request was
     * received ({@link System#nanoTime}; 0 when the stages are not timed).
     */
    public record Stored(StoredMessage message, ClientLink origin, long receivedNanos) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MessageWriter.class);

    private final MessageStore store;
    private final Consumer<List<Stored>> fanOut;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<List<StoredMessage>> committed = batch -> {
    };
    private boolean underLoad;
    private volatile MessageStages stages = MessageStages.OFF;
    private static final long GATHER_NANOS = 2_000_000;

    public MessageWriter(MessageStore store, Consumer<List<Stored>> fanOut, int capacity,
            int maxBatch) {
        this.store = store;
        this.fanOut = fanOut;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, "parley-message-writer");
        thread.start();
    }

    /**
     * Where each batch's new messages are handed once durable, before any sender is answered (so that whoever
     * learns of a message can count on the listener having it). Must not block.
     */
    public void onCommitted(Consumer<List<StoredMessage>> listener) {
        this.committed = listener;
    }

    /** Where each message's stages are timed (the metrics; off until set). */
    public void setStages(MessageStages stages) {
        this.stages = stages;
    }

    /**
     * Queues a draft. Never blocks: when the queue is full the send fails at once with UNAVAILABLE (the client
     * retries with the same id), rather than stalling the connection's worker.
     */
    public CompletableFuture<AppendResult> submit(Draft draft, ClientLink origin) {
        long received = 0;
        long submitted = 0;
        if (origin != null && stages.timing()) {
            received = origin.requestReceivedNanos();
            submitted = received == 0 ? 0 : System.nanoTime();
        }
        var p = new Pending(draft, origin, new CompletableFuture<>(), received, submitted);
        if (!running || !queue.offer(p)) {
            p.result.completeExceptionally(new ParleyException(ErrorCode.RATE_LIMITED,
                    running ? "the server is busy; send again shortly" : "the server is shutting down"));
        }
        return p.result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (underLoad && batch.size() < maxBatch) {
                    // Under load a commit costs about the same for 10 messages as for 500: gather a little
                    // longer so that one commit serves more of them. Idle servers never wait here.
                    long until = System.nanoTime() + GATHER_NANOS;
                    while (batch.size() < maxBatch && System.nanoTime() < until) {
                        Pending more = queue.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                        if (more == null) {
                            break;
                        }
                        batch.add(more);
                        queue.drainTo(batch, maxBatch - batch.size());
                    }
                }
                underLoad = batch.size() > 1;
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("message writer failed a batch");
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        MessageStages timed = stages;
        long batched = timed.timing() ? System.nanoTime() : 0;
        List<AppendResult> results;
        while (true) {
            List<Draft> drafts = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                drafts.add(p.draft);
            }
            try {
                results = store.append(drafts);
                break;
            } catch (MissingConversationException gone) {
                // A conversation deleted after its sends were checked (a group deleted while they queued): only
                // those sends fail; the batch is written again without them, so that nobody else's send is lost.
                List<Pending> rest = withoutConversation(batch, gone.conversationId());
                if (rest.size() < batch.size()) {
                    batch = rest;
                    if (batch.isEmpty()) {
                        return;
                    }
                    continue;
                }
                fail(batch, gone);
                return;
            } catch (RuntimeException e) {
                fail(batch, e);
                return;
            }
        }
        if (batched != 0) {
            long durable = System.nanoTime();
            for (Pending p : batch) {
                if (p.received != 0) {
                    timed.stage(Stage.DECODED_QUEUED, p.submitted - p.received);
                    timed.stage(Stage.QUEUED_BATCHED, batched - p.submitted);
                    timed.stage(Stage.BATCHED_DURABLE, durable - batched);
                    timed.stage(Stage.DECODED_DURABLE, durable - p.received);
                }
            }
        }
        List<StoredMessage> stored = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!results.get(i).duplicate()) {
                stored.add(results.get(i).message());
            }
        }
        if (!stored.isEmpty()) {
            try {
                committed.accept(stored);
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("the committed-messages listener failed");
            }
        }
        List<Stored> fresh = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            AppendResult r = results.get(i);
            p.result.complete(r);
            if (!r.duplicate()) {
                fresh.add(new Stored(r.message(), p.origin, p.received));
            }
        }
        if (!fresh.isEmpty()) {
            try {
                fanOut.accept(fresh);
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("fan-out failed; members will get the messages on resync");
            }
        }
    }

    private static void fail(List<Pending> batch, RuntimeException e) {
        LOG.atError().setCause(e).addKeyValue("messages", batch.size()).log("storing messages failed");
        for (Pending p : batch) {
            p.result.completeExceptionally(e);
        }
    }

    /** The batch without the drafts to {@code conversationId}, which are answered UNKNOWN_CONVERSATION. */
    private static List<Pending> withoutConversation(List<Pending> batch, long conversationId) {
        List<Pending> rest = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (p.draft.conversationId() == conversationId) {
                p.result.completeExceptionally(new ParleyException(ErrorCode.UNKNOWN_CONVERSATION,
                        "no conversation " + conversationId + " (it was deleted); nothing was stored"));
            } else {
                rest.add(p);
            }
        }
        return rest;
    }

    /** Stops taking drafts, writes what is queued, and waits for the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
