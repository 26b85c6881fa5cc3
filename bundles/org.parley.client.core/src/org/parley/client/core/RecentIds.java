package org.parley.client.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The most recent ids added, up to a capacity; past it the oldest is forgotten first. The client keeps its own sent
 * messages' ids here to recognise them when a catch-up fetches them again; forgetting them all at once when full
 * (as it once did) made a catch-up right after report the client's own messages as received ones. Not thread-safe:
 * the client's event thread owns it.
 */
final class RecentIds {
    private final Set<String> ids;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        ids = Collections.newSetFromMap(new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    /** Adds {@code id}; false when it was there already. */
    boolean add(String id) {
        return ids.add(id);
    }

    boolean contains(String id) {
        return ids.contains(id);
    }

    int size() {
        return ids.size();
    }
}
