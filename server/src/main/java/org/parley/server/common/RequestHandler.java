package org.parley.server.common;

import java.util.concurrent.CompletionStage;

import org.parley.protocol.message.Message;

/**
 * Handles one type of request from a logged-in caller. Called on a worker thread, in order per connection; it may
 * block on storage reads. A request its type's {@link Handlers#inline} test passes is handled on the connection's
 * I/O thread instead (still in order), and must not block there. The stage completes with the reply, or exceptionally
 * with a {@link ParleyException} (any other exception becomes INTERNAL_ERROR and is logged).
 */
@FunctionalInterface
public interface RequestHandler<M extends Message> {

    CompletionStage<? extends Message> handle(Caller caller, M request);
}
