package org.parley.server.common;

import java.util.HashMap;
import java.util.Map;

import org.parley.protocol.message.Message;

/**
 * Which feature handles which request type. Each feature service registers its request types at start-up;
 * the wire layer looks them up for every authenticated request. Filled once, then only read.
 */
public final class Handlers {

    private final Map<Class<? extends Message>, RequestHandler<?>> handlers = new HashMap<>();

    public <M extends Message> void on(Class<M> type, RequestHandler<M> handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type.getName());
        }
    }

    /** The handler of {@code type}, or null if no feature handles it. */
    @SuppressWarnings("unchecked")
    public <M extends Message> RequestHandler<M> get(Class<M> type) {
        return (RequestHandler<M>) handlers.get(type);
    }
}
