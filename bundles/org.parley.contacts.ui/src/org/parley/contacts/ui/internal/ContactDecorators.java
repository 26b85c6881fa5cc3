package org.parley.contacts.ui.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.jface.resource.ImageDescriptor;
import org.parley.contacts.ui.ContactDecoration;
import org.parley.contacts.ui.ContactDecorator;
import org.parley.contacts.ui.ContactsContext;
import org.parley.protocol.message.Contacts;

/**
 * The Contacts view's decorators: one instance of each contribution to
 * {@code org.parley.contacts.ui.contactDecorations}, highest priority first (then by id). A contribution that
 * cannot be created, or that throws, is logged once and left out.
 */
final class ContactDecorators {

    static final String EXTENSION_POINT = "org.parley.contacts.ui.contactDecorations";

    /** What the decorators said about one contact. */
    static final class Decorations implements ContactDecoration {
        final ImageDescriptor[] overlays = new ImageDescriptor[5]; // indexed like JFace's IDecoration
        final StringBuilder prefix = new StringBuilder();
        final StringBuilder suffix = new StringBuilder();
        final List<String> toolTip = new ArrayList<>();
        boolean hasOverlay;

        @Override
        public void addOverlay(ImageDescriptor overlay, int quadrant) {
            if (overlay != null && quadrant >= TOP_LEFT && quadrant <= BOTTOM_RIGHT && overlays[quadrant] == null) {
                overlays[quadrant] = overlay;
                hasOverlay = true;
            }
        }

        @Override
        public void addPrefix(String text) {
            if (text != null) {
                prefix.append(text);
            }
        }

        @Override
        public void addSuffix(String text) {
            if (text != null) {
                suffix.append(text);
            }
        }

        @Override
        public void addToolTip(String line) {
            if (line != null && !line.isBlank()) {
                toolTip.add(line);
            }
        }
    }

    private record Contribution(String id, String contributor, int priority, ContactDecorator decorator) {
    }

    private final List<Contribution> active = new ArrayList<>();

    ContactDecorators(ContactsContext context) {
        if (RegistryFactory.getRegistry() == null) {
            return;
        }
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            String id = e.getAttribute("id");
            try {
                String p = e.getAttribute("priority");
                int priority = p == null || p.isBlank() ? 0 : Integer.parseInt(p.strip());
                ContactDecorator d = (ContactDecorator) e.createExecutableExtension("class");
                d.init(context);
                active.add(new Contribution(id, e.getContributor().getName(), priority, d));
            } catch (CoreException | RuntimeException | LinkageError ex) {
                log(id, e.getContributor().getName(), "cannot be created", ex);
            }
        }
        active.sort(Comparator.comparingInt(Contribution::priority).reversed().thenComparing(Contribution::id));
    }

    /** Every decorator's decorations for a contact. */
    Decorations decorate(Contacts.UserInfo contact) {
        Decorations out = new Decorations();
        for (Contribution c : List.copyOf(active)) {
            try {
                c.decorator().decorate(contact, out);
            } catch (RuntimeException | LinkageError ex) {
                active.remove(c);
                log(c.id(), c.contributor(), "failed and is left out", ex);
            }
        }
        return out;
    }

    List<String> ids() {
        return active.stream().map(Contribution::id).toList();
    }

    void dispose() {
        for (Contribution c : active) {
            try {
                c.decorator().dispose();
            } catch (RuntimeException | LinkageError ex) {
                log(c.id(), c.contributor(), "failed to dispose", ex);
            }
        }
    }

    private static void log(String id, String contributor, String what, Throwable e) {
        ILog.of(ContactDecorators.class).error("contact decorator " + id + " from " + contributor + " " + what, e);
    }
}
