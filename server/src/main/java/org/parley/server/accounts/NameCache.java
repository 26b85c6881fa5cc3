package org.parley.server.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Account id → user name, cached: every pushed message and conversation carries user names, so the hot paths should
 * not query storage for them. User names never change (no request renames an account; display names, which do,
 * are not kept here), so an entry is never stale and nothing needs invalidating. Bounded by
 * {@code name-cache-entries}: the names used least recently are forgotten first and read again when next needed,
 * so a long-running server holds the names of the accounts in use, not of every account it ever looked up. An id
 * without an account is answered "?" and not kept. Thread-safe: the ids are spread over {@link #STRIPES} small
 * LRU maps, each under its own lock (docs/decisions/name-cache.md).
 */
public final class NameCache {

    /** Maps the ids are spread over (by id), each with its own lock and an equal share of the bound. */
    static final int STRIPES = 16;

    /** One stripe: a map in access order that drops its least recently used entry beyond its share. */
    private static final class Stripe extends LinkedHashMap<Long, String> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > capacity;
        }
    }

    private final AccountStore store;
    private final Stripe[] stripes = new Stripe[STRIPES];

    /** Keeps at most {@code maxEntries} names (at least {@link #STRIPES}; a multiple of it is used exactly). */
    public NameCache(AccountStore store, int maxEntries) {
        if (maxEntries < STRIPES) {
            throw new IllegalArgumentException("a name cache holds at least " + STRIPES + " names, not " + maxEntries);
        }
        this.store = store;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(maxEntries / STRIPES);
        }
    }

    private Stripe stripe(long accountId) {
        return stripes[(int) Math.floorMod(accountId, (long) STRIPES)];
    }

    private String cached(long accountId) {
        Stripe s = stripe(accountId);
        synchronized (s) {
            return s.get(accountId);
        }
    }

    private void keep(long accountId, String name) {
        Stripe s = stripe(accountId);
        synchronized (s) {
            s.put(accountId, name);
        }
    }

    public String name(long accountId) {
        String n = cached(accountId);
        if (n == null) {
            n = store.findById(accountId).map(Account::name).orElse(null);
            if (n == null) {
                return "?";
            }
            keep(accountId, n);
        }
        return n;
    }

    public Map<Long, String> names(Collection<Long> ids) {
        Map<Long, String> out = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (long id : ids) {
            String n = cached(id);
            if (n == null) {
                missing.add(id);
            } else {
                out.put(id, n);
            }
        }
        if (!missing.isEmpty()) {
            store.findByIds(missing).forEach((id, a) -> {
                keep(id, a.name());
                out.put(id, a.name());
            });
        }
        return out;
    }

    /** How many names are kept now (a metric: at most the bound). */
    public int size() {
        int size = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                size += s.size();
            }
        }
        return size;
    }
}
