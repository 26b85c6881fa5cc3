package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/**
 * The renderers of one chat: the contributions to {@code org.parley.chat.ui.messageRenderers}, each created for
 * this chat and wrapped so that one that throws is logged once and replaced by Parley's own rendering, and the
 * built-in {@link TextRenderer} for every message nobody claims.
 */
final class MessageRenderers {

    static final String EXTENSION_POINT = "org.parley.chat.ui.messageRenderers";

    /** What a contribution declares it may render. */
    record Declaration(String id, String contributor, Set<Chat.Kind> kinds, List<String> mediaTypes, int priority,
            IConfigurationElement element) {

        boolean matches(Chat.ChatMessage m) {
            if (!kinds.isEmpty() && !kinds.contains(m.kind())) {
                return false;
            }
            if (mediaTypes.isEmpty()) {
                return true;
            }
            for (Chat.Attachment a : m.attachments()) {
                String type = a.mediaType() == null ? "" : a.mediaType().toLowerCase(Locale.ROOT);
                for (String pattern : mediaTypes) {
                    if (pattern.equals("*/*") || pattern.equals(type)
                            || pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private final List<Safe> contributed = new ArrayList<>();
    private final Safe builtIn;

    private MessageRenderers(ChatContext chat) {
        builtIn = new Safe(new Declaration("org.parley.chat.ui.text", "org.parley.chat.ui", Set.of(), List.of(),
                Integer.MIN_VALUE, null), new TextRenderer(), null);
        builtIn.delegate.init(chat);
        for (Declaration d : declarations()) {
            try {
                MessageRenderer r = (MessageRenderer) d.element().createExecutableExtension("class");
                r.init(chat);
                contributed.add(new Safe(d, r, builtIn));
            } catch (CoreException | RuntimeException | LinkageError e) {
                log(d, "cannot be created", e);
            }
        }
    }

    /** Creates this chat's instances of every contributed renderer (broken contributions are logged and skipped). */
    static MessageRenderers forChat(ChatContext chat) {
        return new MessageRenderers(chat);
    }

    /** The contributions, highest priority first (then by id); malformed ones are logged and left out. */
    static List<Declaration> declarations() {
        List<Declaration> out = new ArrayList<>();
        if (RegistryFactory.getRegistry() == null) {
            return out;
        }
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            String id = e.getAttribute("id");
            try {
                Set<Chat.Kind> kinds = split(e.getAttribute("kinds")).stream()
                        .map(k -> Chat.Kind.valueOf(k.toUpperCase(Locale.ROOT))).collect(Collectors.toSet());
                List<String> types = split(e.getAttribute("mediaTypes")).stream()
                        .map(t -> t.toLowerCase(Locale.ROOT)).toList();
                String p = e.getAttribute("priority");
                int priority = p == null || p.isBlank() ? 0 : Integer.parseInt(p.strip());
                if (id == null || id.isBlank() || e.getAttribute("class") == null) {
                    throw new IllegalArgumentException("id and class are required");
                }
                out.add(new Declaration(id, e.getContributor().getName(), kinds, types, priority, e));
            } catch (IllegalArgumentException ex) {
                ILog.of(MessageRenderers.class).error("message renderer " + id + " from "
                        + e.getContributor().getName() + " is malformed: " + ex.getMessage(), ex);
            }
        }
        out.sort(Comparator.comparingInt(Declaration::priority).reversed().thenComparing(Declaration::id));
        return out;
    }

    private static List<String> split(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** The renderer for a message: the first contribution that matches and claims it, else the built-in one. */
    Safe rendererFor(Chat.ChatMessage m) {
        if (m.deleted()) {
            return builtIn; // a tombstone: "Message deleted", whatever the message was
        }
        for (Safe s : contributed) {
            if (!s.broken && s.declaration.matches(m) && s.claims(m)) {
                return s;
            }
        }
        return builtIn;
    }

    /** Parley's own renderer (text with Markdown), which shows what no contribution claims. */
    TextRenderer textRenderer() {
        return (TextRenderer) builtIn.delegate;
    }

    List<String> contributedIds() {
        return contributed.stream().filter(s -> !s.broken).map(s -> s.declaration.id()).toList();
    }

    void dispose() {
        for (Safe s : contributed) {
            s.dispose();
        }
        builtIn.dispose();
    }

    private static void log(Declaration d, String what, Throwable e) {
        ILog.of(MessageRenderers.class).error("message renderer " + d.id() + " from " + d.contributor() + " "
                + what + "; Parley shows its messages itself from now on", e);
    }

    /**
     * A renderer behind a guard: the first exception it throws is logged, and from then on the built-in renderer
     * does its work ({@link #broken}); the history measures its rows again.
     */
    static final class Safe {
        final Declaration declaration;
        final MessageRenderer delegate;
        private final Safe fallback;
        boolean broken;

        Safe(Declaration declaration, MessageRenderer delegate, Safe fallback) {
            this.declaration = declaration;
            this.delegate = delegate;
            this.fallback = fallback;
        }

        private boolean fail(String what, Throwable e) {
            if (fallback == null) { // the built-in renderer itself: nothing to fall back to
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            if (!broken) {
                broken = true;
                log(declaration, "failed in " + what, e);
            }
            return true;
        }

        /** The id of the renderer that shows its rows now: its own, or the built-in one's once it failed. */
        String shownBy() {
            return broken && fallback != null ? fallback.shownBy() : declaration.id();
        }

        boolean claims(Chat.ChatMessage m) {
            try {
                return delegate.claims(m);
            } catch (RuntimeException | LinkageError e) {
                fail("claims", e);
                return false;
            }
        }

        int measure(MessageRow row, int width, GC gc) {
            if (!broken) {
                try {
                    return Math.max(0, delegate.measure(row, width, gc));
                } catch (RuntimeException | LinkageError e) {
                    fail("measure", e);
                }
            }
            return fallback.measure(row, width, gc);
        }

        void paint(MessageRow row, GC gc, Rectangle bounds) {
            if (!broken) {
                try {
                    delegate.paint(row, gc, bounds);
                    return;
                } catch (RuntimeException | LinkageError e) {
                    fail("paint", e);
                }
            }
            fallback.paint(row, gc, bounds);
        }

        Control createControl(Composite parent, MessageRow row) {
            if (!broken) {
                try {
                    return delegate.createControl(parent, row);
                } catch (RuntimeException | LinkageError e) {
                    fail("createControl", e);
                }
            }
            return null;
        }

        Rectangle controlBounds(MessageRow row, Control control, int width, int height) {
            try {
                Rectangle r = broken ? null : delegate.controlBounds(row, control, width, height);
                return r == null ? new Rectangle(0, 0, width, height) : r;
            } catch (RuntimeException | LinkageError e) {
                fail("controlBounds", e);
                return new Rectangle(0, 0, width, height);
            }
        }

        boolean click(MessageRow row, int x, int y) {
            try {
                return !broken && delegate.click(row, x, y);
            } catch (RuntimeException | LinkageError e) {
                return !fail("click", e);
            }
        }

        boolean isClickable(MessageRow row, int x, int y) {
            try {
                return !broken && delegate.isClickable(row, x, y);
            } catch (RuntimeException | LinkageError e) {
                return !fail("isClickable", e);
            }
        }

        String toolTipText(MessageRow row, int x, int y) {
            try {
                return broken ? null : delegate.toolTipText(row, x, y);
            } catch (RuntimeException | LinkageError e) {
                fail("toolTipText", e);
                return null;
            }
        }

        boolean activate(MessageRow row) {
            try {
                return !broken && delegate.activate(row);
            } catch (RuntimeException | LinkageError e) {
                return !fail("activate", e);
            }
        }

        String text(MessageRow row) {
            if (!broken) {
                try {
                    String t = delegate.text(row);
                    return t == null ? "" : t;
                } catch (RuntimeException | LinkageError e) {
                    fail("text", e);
                }
            }
            return fallback.text(row);
        }

        void forget(Chat.ChatMessage m) {
            try {
                delegate.forget(m);
            } catch (RuntimeException | LinkageError e) {
                fail("forget", e);
            }
        }

        void dispose() {
            try {
                delegate.dispose();
            } catch (RuntimeException | LinkageError e) {
                log(declaration, "failed in dispose", e);
            }
        }
    }
}
