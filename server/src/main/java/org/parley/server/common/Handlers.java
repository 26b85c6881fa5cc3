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

    /** Wraps a handler (for metrics); {@link #decorate} applies one to every registered handler. */
    @FunctionalInterface
    public interface Decorator {
        <M extends Message> RequestHandler<M> wrap(Class<M> type, RequestHandler<M> handler);
    }

    /** Replaces every handler registered so far by {@code decorator}'s wrapping of it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void decorate(Decorator decorator) {
        handlers.replaceAll((type, handler) -> decorator.wrap((Class) type, (RequestHandler) handler));
    }

    /** The handler of {@code type}, or null if no feature handles it. */
    @SuppressWarnings("unchecked")
    public <M extends Message> RequestHandler<M> get(Class<M> type) {
        return (RequestHandler<M>) handlers.get(type);
    }
}
