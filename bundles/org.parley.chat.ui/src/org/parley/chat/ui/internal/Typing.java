package org.parley.chat.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.swt.widgets.Display;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;

/**
 * Typing indicators, both ways, as docs/protocol.md sets them out. Telling: "typing" goes out with the first
 * keystroke and again at most every {@link #REFRESH_MS} while keystrokes follow; "stopped" when the entry field is
 * emptied, loses the focus, its message is sent, or {@link #STOP_AFTER_MS} after the last keystroke. Showing: the
 * receiving client shows a member typing until that member's "stopped", a message from them, or
 * {@link #EXPIRE_MS} without a refresh (a sender that vanished cannot leave it stuck). All on the display thread.
 */
final class Typing {

    /** A typing sender repeats "typing" this often while keystrokes follow. */
    static final int REFRESH_MS = 3000;
    /** A sender says "stopped" this long after its last keystroke. */
    static final int STOP_AFTER_MS = 5000;
    /** A receiver forgets a "typing" that was not refreshed for this long. */
    static final int EXPIRE_MS = 6000;

    private Typing() {
    }

    /** This user's side: tells the conversation's other members. */
    static final class Sender {
        private final Display display;
        private final ParleyClient client;
        private final long conversationId;
        private boolean typing;
        private long lastSent;
        private long lastKey;
        private final Runnable restCheck = this::restCheck;

        Sender(Display display, ParleyClient client, long conversationId) {
            this.display = display;
            this.client = client;
            this.conversationId = conversationId;
        }

        /** The entry field's text changed (a keystroke, a paste, a cleared field). */
        void textChanged(String text) {
            if (text.isEmpty()) {
                stopped();
                return;
            }
            long now = System.nanoTime();
            lastKey = now;
            if (!typing || now - lastSent >= REFRESH_MS * 1_000_000L) {
                typing = true;
                lastSent = now;
                tell(true);
            }
            display.timerExec(STOP_AFTER_MS, restCheck);
        }

        private void restCheck() {
            if (typing && System.nanoTime() - lastKey >= (STOP_AFTER_MS - 50) * 1_000_000L) {
                stopped();
            }
        }

        /** Sent, emptied, focus gone, part closed: says "stopped" if "typing" was said. */
        void stopped() {
            if (typing) {
                typing = false;
                tell(false);
            }
            if (!display.isDisposed()) {
                display.timerExec(-1, restCheck);
            }
        }

        /** Offline nobody hears it (and a client closed at sign-out takes no more requests). */
        private void tell(boolean now) {
            if (client.state() == ConnectionState.ONLINE) {
                client.typing(conversationId, now);
            }
        }
    }

    /** The other members' side: who is typing, shown through {@code show} ("" when nobody). */
    static final class Shown {
        private final Display display;
        private final Consumer<String> show;
        /** Who types, in the order they started, each with the expiry that forgets them. */
        private final Map<String, Runnable> typists = new LinkedHashMap<>();

        /** How a typist is named (the display name). */
        private final java.util.function.Function<String, String> names;

        Shown(Display display, Consumer<String> show, java.util.function.Function<String, String> names) {
            this.display = display;
            this.show = show;
            this.names = names;
        }

        /** Shows the typists again (a display name learnt meanwhile). */
        void refresh() {
            if (!typists.isEmpty()) {
                show.accept(text());
            }
        }

        void changed(String user, boolean typing) {
            Runnable old = typists.remove(user);
            if (old != null) {
                display.timerExec(-1, old);
            }
            if (typing) {
                Runnable expire = new Runnable() {
                    @Override
                    public void run() {
                        if (typists.get(user) == this) {
                            typists.remove(user);
                            show.accept(text());
                        }
                    }
                };
                typists.put(user, expire);
                display.timerExec(EXPIRE_MS, expire);
            }
            show.accept(text());
        }

        /** A message from {@code user}: they stopped typing it. */
        void messageFrom(String user) {
            if (typists.containsKey(user)) {
                changed(user, false);
            }
        }

        String text() {
            var names = typists.keySet().stream().map(this.names).toList();
            return switch (names.size()) {
                case 0 -> "";
                case 1 -> names.get(0) + " is typing…";
                case 2 -> names.get(0) + " and " + names.get(1) + " are typing…";
                default -> "Several people are typing…";
            };
        }
    }
}
