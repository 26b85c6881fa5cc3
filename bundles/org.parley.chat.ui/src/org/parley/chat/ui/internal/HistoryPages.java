package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of a conversation's history that is in memory: fixed pages of {@value #PAGE} sequence numbers
 * (sequence numbers are gap-free per conversation, so seq n is in page (n-1)/PAGE). A slot is unknown (never
 * fetched), a {@link Row}, or missing (the server has no such message, or it is an entry that edits or deletes
 * another one: applied to that one and never shown). At most {@link #maxPages} pages are kept;
 * the least recently used ones are dropped and fetched again if they come back into view.
 */
final class HistoryPages {

    static final int PAGE = 100;

    static final class Page {
        final long no;
        final Row[] rows = new Row[PAGE];
        final boolean[] missing = new boolean[PAGE];
        boolean loading;
        String error;
        long used;

        Page(long no) {
            this.no = no;
        }

        long first() {
            return no * PAGE + 1;
        }

        long last() {
            return (no + 1) * PAGE;
        }
    }

    private final Map<Long, Page> pages = new HashMap<>();
    private final int maxPages;
    private long clock;

    HistoryPages(int maxPages) {
        this.maxPages = maxPages;
    }

    static long pageOf(long seq) {
        return (seq - 1) / PAGE;
    }

    private static int slot(long seq) {
        return (int) ((seq - 1) % PAGE);
    }

    /** The page, created empty if needed (and marked as used now). */
    Page page(long no) {
        Page p = pages.computeIfAbsent(no, Page::new);
        p.used = ++clock;
        return p;
    }

    Page existing(long no) {
        return pages.get(no);
    }

    Row row(long seq) {
        Page p = pages.get(pageOf(seq));
        return p == null ? null : p.rows[slot(seq)];
    }

    boolean isMissing(long seq) {
        Page p = pages.get(pageOf(seq));
        return p != null && p.missing[slot(seq)];
    }

    /** True when the slot is a row or known to be missing. */
    boolean isKnown(long seq) {
        Page p = pages.get(pageOf(seq));
        return p != null && (p.rows[slot(seq)] != null || p.missing[slot(seq)]);
    }

    /** Stores a row unless one is there already (a message met twice is shown once); returns the stored row. */
    Row put(Row row) {
        Page p = page(pageOf(row.message.seq()));
        int i = slot(row.message.seq());
        if (p.rows[i] == null) {
            p.rows[i] = row;
            p.missing[i] = false;
        }
        return p.rows[i];
    }

    /** Puts {@code row} in place of the one there (a message edited or deleted); returns the one replaced. */
    Row replace(Row row) {
        Page p = page(pageOf(row.message.seq()));
        int i = slot(row.message.seq());
        Row old = p.rows[i];
        p.rows[i] = row;
        p.missing[i] = false;
        return old;
    }

    void markMissing(long seq) {
        Page p = page(pageOf(seq));
        if (p.rows[slot(seq)] == null) {
            p.missing[slot(seq)] = true;
        }
    }

    /** Whether some slot of the page up to {@code lastSeq} is unknown and nobody is fetching it. */
    boolean needsFetch(long no, long lastSeq) {
        Page p = pages.get(no);
        if (p != null && (p.loading || p.error != null)) {
            return false;
        }
        long end = Math.min((no + 1) * PAGE, lastSeq);
        for (long s = no * PAGE + 1; s <= end; s++) {
            if (!isKnown(s)) {
                return true;
            }
        }
        return false;
    }

    /** Pages whose last fetch failed (to retry when the connection is back). */
    List<Page> failed() {
        return pages.values().stream().filter(p -> p.error != null).toList();
    }

    int size() {
        return pages.size();
    }

    /** Number of messages held. */
    int rowCount() {
        int n = 0;
        for (Page p : pages.values()) {
            for (Row r : p.rows) {
                n += r == null ? 0 : 1;
            }
        }
        return n;
    }

    List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Page p : pages.values()) {
            for (Row r : p.rows) {
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Drops the least recently used pages beyond the limit, except those in {@code keep}. */
    void trim(Set<Long> keep, Consumer<Row> dropped) {
        if (pages.size() <= maxPages) {
            return;
        }
        List<Page> candidates = new ArrayList<>(pages.values().stream()
                .filter(p -> !keep.contains(p.no) && !p.loading).toList());
        candidates.sort((a, b) -> Long.compare(a.used, b.used));
        for (Page p : candidates) {
            if (pages.size() <= maxPages) {
                break;
            }
            pages.remove(p.no);
            for (Row r : p.rows) {
                if (r != null) {
                    dropped.accept(r);
                }
            }
        }
    }
}
