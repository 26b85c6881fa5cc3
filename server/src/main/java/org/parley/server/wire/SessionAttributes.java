package org.parley.server.wire;

import java.util.HashSet;
import java.util.Set;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionAttributeMap;

/**
 * A connection's MINA session attributes in one array of keys and values, copied on each change: MINA's own map is
 * a {@code ConcurrentHashMap} per connection (its object, a table of 16 slots and a node per attribute: about 400
 * bytes for the half dozen attributes a connection holds: its link, the codec's encoder and decoder, the worker
 * queue, the protocol version, and with TLS the TLS handler and the record slicer's state), this about 130. Every
 * attribute is set once or twice in a connection's life and read on every event, so reads take no lock (the array
 * is published through a volatile field) and writes, under the map's lock, make a new array.
 */
final class SessionAttributes implements IoSessionAttributeMap {

    private static final Object[] EMPTY = {};

    /** Keys at even indexes, their values after them; never changed once published. */
    private volatile Object[] pairs = EMPTY;

    private static int indexOf(Object[] p, Object key) {
        for (int i = 0; i < p.length; i += 2) {
            Object k = p[i];
            if (k == key || k.equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static void check(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("key");
        }
    }

    /** The value of {@code key}, or null. */
    private Object get(Object key) {
        Object[] p = pairs;
        int i = indexOf(p, key);
        return i < 0 ? null : p[i + 1];
    }

    /** Sets {@code key} to {@code value} (null: removes it); returns the value before. Holding the lock. */
    private Object put(Object key, Object value) {
        Object[] p = pairs;
        int i = indexOf(p, key);
        if (i >= 0) {
            Object before = p[i + 1];
            if (value == null) {
                Object[] n = new Object[p.length - 2];
                System.arraycopy(p, 0, n, 0, i);
                System.arraycopy(p, i + 2, n, i, p.length - i - 2);
                pairs = n;
            } else if (before != value) {
                Object[] n = p.clone();
                n[i + 1] = value;
                pairs = n;
            }
            return before;
        }
        if (value != null) {
            Object[] n = new Object[p.length + 2];
            System.arraycopy(p, 0, n, 0, p.length);
            n[p.length] = key;
            n[p.length + 1] = value;
            pairs = n;
        }
        return null;
    }

    @Override
    public Object getAttribute(IoSession session, Object key, Object defaultValue) {
        check(key);
        if (defaultValue == null) {
            return get(key);
        }
        Object v = get(key);
        if (v != null) {
            return v;
        }
        synchronized (this) {
            v = get(key);
            if (v != null) {
                return v;
            }
            put(key, defaultValue);
            return defaultValue;
        }
    }

    @Override
    public synchronized Object setAttribute(IoSession session, Object key, Object value) {
        check(key);
        return put(key, value);
    }

    @Override
    public Object setAttributeIfAbsent(IoSession session, Object key, Object value) {
        check(key);
        if (value == null) {
            return null;
        }
        synchronized (this) {
            Object v = get(key);
            if (v == null) {
                put(key, value);
            }
            return v;
        }
    }

    @Override
    public synchronized Object removeAttribute(IoSession session, Object key) {
        check(key);
        return put(key, null);
    }

    @Override
    public synchronized boolean removeAttribute(IoSession session, Object key, Object value) {
        check(key);
        if (value == null || !value.equals(get(key))) {
            return false;
        }
        put(key, null);
        return true;
    }

    @Override
    public synchronized boolean replaceAttribute(IoSession session, Object key, Object oldValue, Object newValue) {
        if (key == null || oldValue == null || newValue == null || !oldValue.equals(get(key))) {
            return false;
        }
        put(key, newValue);
        return true;
    }

    @Override
    public boolean containsAttribute(IoSession session, Object key) {
        return key != null && get(key) != null;
    }

    @Override
    public Set<Object> getAttributeKeys(IoSession session) {
        Object[] p = pairs;
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < p.length; i += 2) {
            keys.add(p[i]);
        }
        return keys;
    }

    @Override
    public void dispose(IoSession session) {
        // Nothing to release: the handlers still read the link when the session closes.
    }
}
