package org.parley.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Session;

/** Which requests the wire layer may handle on the I/O thread: only those whose type's inline test passes. */
class HandlersTest {

    private static final Caller ANN = new Caller(1, "ann", false, null);

    private static Chat.Send send(long conversationId) {
        return new Chat.Send(conversationId, "m1", Kind.TEXT, "hi", List.of());
    }

    @Test
    void aRequestIsHandledInlineOnlyWhenItsTypesTestSaysSo() {
        Handlers h = new Handlers();
        h.on(Chat.Send.class, (c, r) -> CompletableFuture.completedFuture(new Session.Ok()));
        h.on(Session.Ping.class, (c, r) -> CompletableFuture.completedFuture(new Session.Pong(r.nonce())));
        h.inline(Chat.Send.class, (c, r) -> r.conversationId() == 7);

        assertThat(h.nonBlocking(ANN, send(7))).isTrue();
        assertThat(h.nonBlocking(ANN, send(8))).as("the test fails: to a worker").isFalse();
        assertThat(h.nonBlocking(ANN, new Session.Ping(1))).as("no test: to a worker").isFalse();
    }

    @Test
    void anInlineTestWithoutAHandlerHandlesNothingAndTwoForOneTypeAreRefused() {
        Handlers h = new Handlers();
        h.inline(Chat.Send.class, (c, r) -> true);
        assertThat(h.nonBlocking(ANN, send(7))).isFalse();
        assertThatThrownBy(() -> h.inline(Chat.Send.class, (c, r) -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decoratingTheHandlersKeepsTheirInlineTests() {
        Handlers h = new Handlers();
        h.on(Chat.Send.class, (c, r) -> CompletableFuture.completedFuture(new Session.Ok()));
        h.inline(Chat.Send.class, (c, r) -> true);
        h.decorate(new Handlers.Decorator() {
            @Override
            public <M extends org.parley.protocol.message.Message> RequestHandler<M> wrap(Class<M> type,
                    RequestHandler<M> handler) {
                return handler::handle;
            }
        });
        assertThat(h.nonBlocking(ANN, send(7))).isTrue();
    }
}
