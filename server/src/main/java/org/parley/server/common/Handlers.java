package org.parley.server.common;

import java.util.HashMap;
import java.util.Map;

import org.parley.protocol.message.Message;

/**
 * Which feature handles which request type. Each feature service registers its request types at start-up;
 * the wire layer looks them up for every authenticated request. Filled once, then only read.
 *
 * <p>A request type may also say when one of its requests needs no blocking work ({@link #inline}): the wire layer
 * then handles such a request on the connection's I/O thread, without handing it to a worker, provided nothing
 * sent before it on that connection is still with the workers (docs/architecture.md, "Threads").
 */
public final class Handlers {

    /**
     * Whether a request can be handled without blocking: every check it makes is in memory and what it hands on
     * never waits (a full queue refuses instead). A cheap test, run on the I/O thread.
     */
    @FunctionalInterface
    public interface NonBlocking<M extends Message> {
        boolean test(Caller caller, M request);
    }

    private final Map<Class<? extends Message>, RequestHandler<?>> handlers = new HashMap<>();
    private final Map<Class<? extends Message>, NonBlocking<?>> inline = new HashMap<>();

    public <M extends Message> void on(Class<M> type, RequestHandler<M> handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type.getName());
        }
    }

    /**
     * Lets the requests of {@code type} for which {@code test} holds be handled on the I/O thread (their handler,
     * registered with {@link #on}, must then not block for them).
     */
    public <M extends Message> void inline(Class<M> type, NonBlocking<M> test) {
        if (inline.putIfAbsent(type, test) != null) {
            throw new IllegalStateException("two inline tests for " + type.getName());
        }
    }

    /** Whether {@code request} may be handled without blocking ({@link #inline}); false for most types. */
    @SuppressWarnings("unchecked")
    public boolean nonBlocking(Caller caller, Message request) {
        NonBlocking<Message> test = (NonBlocking<Message>) inline.get(request.getClass());
        return test != null && handlers.containsKey(request.getClass()) && test.test(caller, request);
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
