package org.parley.client.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The {@link ClientListener}s of one client; events are told on the client's event thread, in order. */
final class Listeners {

    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    void add(ClientListener listener) {
        listeners.add(listener);
    }

    void remove(ClientListener listener) {
        listeners.remove(listener);
    }

    void emit(Consumer<ClientListener> event) {
        for (ClientListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the client
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }
}
