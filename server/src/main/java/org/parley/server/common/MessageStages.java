package org.parley.server.common;

/**
 * Where the server's time goes for each new message, step by step (setting {@code metrics-message-stages}; off by
 * default): the wire layer and the message writer take {@link System#nanoTime} stamps of a {@code Send} as it
 * passes, and record the time between two stamps per message here. The metrics publish one timer per
 * {@link Stage} ({@code parley.message.stage}), so a load test can tell the server's share of a message's latency,
 * and which step holds it, from the rest (the client's, the kernel's). Stamps are taken only when
 * {@link #timing()} is on, so a server with the setting off pays nothing for them.
 */
public interface MessageStages {

    /** The timed steps of a new message; the name is the metric's {@code stage} tag. */
    enum Stage {
        /** The {@code Send} frame was decoded (on the I/O thread) → its handling started (there, or on a worker). */
        DECODED_HANDLED("decoded-handled"),
        /** Decoded → checked and handed to the message writer's queue. */
        DECODED_QUEUED("decoded-queued"),
        /** Handed to the writer → the writer took it into a batch. */
        QUEUED_BATCHED("queued-batched"),
        /** The batch started → stored and synced (commit and fsync of the whole batch). */
        BATCHED_DURABLE("batched-durable"),
        /** Decoded → durable. */
        DECODED_DURABLE("decoded-durable"),
        /** The {@code Sent} answer was handed to the connection → written to the sender's socket. */
        SENT_WRITTEN("sent-written"),
        /** Decoded → {@code Sent} written to the sender's socket: the server's share of the sender's round trip. */
        DECODED_SENT("decoded-sent"),
        /** The {@code NewMessage} push was handed to a recipient's connection → written to its socket. */
        PUSH_WRITTEN("push-written"),
        /**
         * Decoded → {@code NewMessage} written to a recipient's socket, once per delivery: the server's share of
         * the end-to-end latency.
         */
        DECODED_PUSHED("decoded-pushed");

        private final String tag;

        Stage(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** Records nothing. */
    MessageStages OFF = new MessageStages() {
        @Override
        public boolean timing() {
            return false;
        }

        @Override
        public void stage(Stage stage, long nanos) {
        }
    };

    /** Whether stamps are to be taken at all (constant for the life of the server). */
    boolean timing();

    /** One message spent {@code nanos} in {@code stage}. Any thread; must not block or allocate much. */
    void stage(Stage stage, long nanos);
}
