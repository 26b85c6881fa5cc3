package org.parley.server.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageService;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the index up with the message store, on a thread of its own ({@code parley-search-indexer}), off the
 * message writer's path: the writer hands each committed batch to {@link #committed} (a queue, never blocking);
 * this thread adds the messages, then refreshes the searchers (what was added is searchable after one refresh), at
 * most once every {@code search-refresh-millis}: a message is searchable at once when the server is quiet, and
 * within that time under load, where a refresh per batch would flush and sort a new tiny index segment hundreds
 * of times a second. It commits the index every {@code search-commit-seconds} and on close.
 *
 * <p>It never silently misses a message: it keeps, per conversation, the highest seq it has added, and adds a
 * message only right after its predecessor. At start it compares that (read from the index) with every
 * conversation's last seq in the store and reads what is missing back from storage (what a crash lost since the
 * last commit, or a new index); a batch that finds a gap (or that did not fit the queue) is filled the same way.
 * SYSTEM messages take a place in the index without words, so that progress is exact; so do the entries that edit
 * or delete a message, which also index their target again as it is stored now (the edited text, or no words for a
 * deleted message): after a crash they are read back like any message, so the index ends up as the store is.
 */
public final class SearchIndexer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
    private static final int READ_BACK = 500;

    private final MessageIndex index;
    private final MessageStore store;
    private final long queueBytes;
    private final long commitNanos;
    private final long refreshNanos;
    private final BlockingQueue<List<StoredMessage>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Messages handed over but not searchable yet. */
    private final AtomicLong pending = new AtomicLong();
    /** Conversations whose batches did not fit the queue: read back from storage. */
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> upTo;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private long lastCommit = System.nanoTime();
    private boolean uncommitted;
    /** Messages handed over and added to the index since its last refresh (not searchable yet; in pending). */
    private long unrefreshed;
    /** Something was added to the index since its last refresh (handed over or read back). */
    private volatile boolean stale;
    private long lastRefresh;

    /** @param refreshMillis the least time between two refreshes of the searchers (0: after every drain) */
    public SearchIndexer(MessageIndex index, MessageStore store, long queueBytes, int commitSeconds,
            int refreshMillis) {
        this.index = index;
        this.store = store;
        this.queueBytes = queueBytes;
        this.commitNanos = TimeUnit.SECONDS.toNanos(commitSeconds);
        this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(refreshMillis);
        this.lastRefresh = System.nanoTime() - refreshNanos; // the first batch is searchable at once
        this.upTo = new HashMap<>(index.indexedUpTo());
        this.thread = new Thread(this::run, "parley-search-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    /** A batch of messages the writer has just made durable. Never blocks. */
    public void committed(List<StoredMessage> batch) {
        if (!running || batch.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (StoredMessage m : batch) {
            bytes += 64 + 2L * m.text().length();
        }
        pending.addAndGet(batch.size());
        if (queuedBytes.addAndGet(bytes) > queueBytes) {
            queuedBytes.addAndGet(-bytes);
            for (StoredMessage m : batch) {
                dirty.add(m.conversationId());
            }
            pending.addAndGet(-batch.size());
            queue.offer(List.of()); // wakes the thread
            return;
        }
        queue.offer(batch);
    }

    /**
     * Another server node stored messages in the conversation (several nodes share the database): they are read
     * back from storage and indexed. Never blocks.
     */
    public void storedElsewhere(long conversationId) {
        if (!running) {
            return;
        }
        dirty.add(conversationId);
        queue.offer(List.of()); // wakes the thread
    }

    /**
     * Whether every message stored before this call is searchable (false while catching up at start, while
     * committed batches wait, or while conversations are read back from storage).
     */
    public boolean complete() {
        return caughtUp && pending.get() == 0 && dirty.isEmpty() && queue.isEmpty() && !stale;
    }

    private void run() {
        try {
            long start = System.nanoTime();
            int added = catchUp();
            caughtUp = true;
            LOG.atInfo().addKeyValue("messages", added).addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(
                    System.nanoTime() - start)).log("search index caught up with the message store");
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("the search index could not catch up; search may miss older messages");
            caughtUp = true;
        }
        List<List<StoredMessage>> batches = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                long wait = TimeUnit.MILLISECONDS.toNanos(200); // at most, so that a close is seen soon
                if (stale) {
                    wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, lastRefresh + refreshNanos
                            - System.nanoTime()));
                }
                List<StoredMessage> first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batches.add(first);
                    queue.drainTo(batches);
                    int n = 0;
                    for (List<StoredMessage> b : batches) {
                        n += b.size();
                        long bytes = 0;
                        for (StoredMessage m : b) {
                            bytes += 64 + 2L * m.text().length();
                        }
                        queuedBytes.addAndGet(-bytes);
                        take(b);
                    }
                    for (Long c : List.copyOf(dirty)) {
                        dirty.remove(c);
                        fill(c, store.lastSeq(c));
                    }
                    unrefreshed += n;
                    batches.clear();
                }
                if (stale && System.nanoTime() - lastRefresh >= refreshNanos) {
                    index.refresh(); // only this thread adds: nothing was added meanwhile
                    stale = false;
                    lastRefresh = System.nanoTime();
                    pending.addAndGet(-unrefreshed);
                    unrefreshed = 0;
                }
                if (uncommitted && System.nanoTime() - lastCommit > commitNanos) {
                    commit();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("indexing failed; the messages are indexed again at the next start");
                pending.set(0);
                unrefreshed = 0;
                stale = false;
                batches.clear();
            }
        }
    }

    private int catchUp() {
        int added = 0;
        int sinceRefresh = 0;
        for (MessageStore.LastSeq c : store.lastSeqs()) {
            if (!running) {
                break;
            }
            int n = fill(c.conversationId(), c.lastSeq());
            added += n;
            sinceRefresh += n;
            if (sinceRefresh > 50_000) {
                index.refresh();
                sinceRefresh = 0;
            }
        }
        index.refresh();
        stale = false;
        return added;
    }

    /** Adds a live batch, reading back from storage whatever lies before it and is not indexed yet. */
    private void take(List<StoredMessage> batch) {
        List<MessageIndex.Entry> entries = new ArrayList<>(batch.size());
        for (StoredMessage m : batch) {
            long have = upTo.getOrDefault(m.conversationId(), 0L);
            if (m.seq() <= have) {
                continue;
            }
            if (m.seq() > have + 1) {
                add(entries);
                entries.clear();
                fill(m.conversationId(), m.seq() - 1);
            }
            addEntries(entries, m);
            upTo.put(m.conversationId(), m.seq());
        }
        add(entries);
    }

    /** Reads a conversation's messages after what is indexed, up to {@code lastSeq}, from storage; adds them. */
    private int fill(long conversationId, long lastSeq) {
        int added = 0;
        long have = upTo.getOrDefault(conversationId, 0L);
        while (have < lastSeq) {
            List<StoredMessage> rows = store.after(conversationId, have, READ_BACK);
            if (rows.isEmpty()) {
                break;
            }
            List<MessageIndex.Entry> entries = new ArrayList<>(rows.size());
            for (StoredMessage m : rows) {
                addEntries(entries, m);
                have = m.seq();
            }
            add(entries);
            upTo.put(conversationId, have);
            added += rows.size();
        }
        return added;
    }

    private void add(List<MessageIndex.Entry> entries) {
        if (!entries.isEmpty()) {
            index.add(entries);
            uncommitted = true;
            stale = true;
        }
    }

    /**
     * A message's entry; for an EDIT or DELETE entry also its target's, as stored now (its current text, or none
     * when deleted): read back rather than taken from the entry, so that entries indexed again after a crash, in
     * any order, leave the target as it is now.
     */
    private void addEntries(List<MessageIndex.Entry> entries, StoredMessage m) {
        entries.add(entry(m));
        if (m.isChange()) {
            store.message(m.conversationId(), m.targetSeq()).ifPresent(t -> entries.add(entry(t)));
        }
    }

    private static MessageIndex.Entry entry(StoredMessage m) {
        if (m.kind() == Kind.SYSTEM || m.isChange() || m.deleted()) {
            return new MessageIndex.Entry(m.conversationId(), m.seq(), m.timestamp(), "", List.of());
        }
        List<String> names = new ArrayList<>();
        for (Chat.Attachment a : MessageService.attachmentsOf(m)) {
            names.add(a.name());
        }
        return new MessageIndex.Entry(m.conversationId(), m.seq(), m.timestamp(), m.text(), names);
    }

    private void commit() {
        index.commit();
        uncommitted = false;
        lastCommit = System.nanoTime();
    }

    /** Indexes what is queued, commits, and stops the thread (the index itself is closed by its owner). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("could not commit the search index; it catches up at the next start");
            }
        }
    }
}
