package org.parley.server.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account id → user name, cached: names never change, and every pushed message and conversation carries them,
 * so the hot paths should not query storage for them.
 */
public final class NameCache {

    private final AccountStore store;
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    public NameCache(AccountStore store) {
        this.store = store;
    }

    public String name(long accountId) {
        String n = names.get(accountId);
        if (n == null) {
            n = store.findById(accountId).map(Account::name).orElse("?");
            names.put(accountId, n);
        }
        return n;
    }

    public Map<Long, String> names(Collection<Long> ids) {
        Map<Long, String> out = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (long id : ids) {
            String n = names.get(id);
            if (n == null) {
                missing.add(id);
            } else {
                out.put(id, n);
            }
        }
        if (!missing.isEmpty()) {
            store.findByIds(missing).forEach((id, a) -> {
                names.put(id, a.name());
                out.put(id, a.name());
            });
        }
        return out;
    }
}
