package org.parley.contacts.ui;

import org.parley.protocol.message.Contacts;

/**
 * Adds to how a contact is shown in the Contacts view: an icon overlay on the presence icon, text before or after
 * the name, lines in the tooltip. Contributed through the extension point
 * {@code org.parley.contacts.ui.contactDecorations}; every contribution decorates every contact (in the order of
 * their priority), so a decorator leaves alone the contacts it has nothing to say about.
 *
 * <p>The Contacts view creates its own instance (public no-argument constructor) and calls {@link #init} once.
 * {@link #decorate} runs on the display thread, for each contact each time its row is drawn again, so it must be
 * quick: look things up elsewhere (a job, a future) and call {@link ContactsContext#refresh} when they are known. A
 * decorator that throws is logged and left out for the rest of the session.
 */
public interface ContactDecorator {

    /** Called once, before {@link #decorate}, with the view this instance decorates for. */
    default void init(ContactsContext context) {
    }

    /** Adds this decorator's decorations for one contact (or none). */
    void decorate(Contacts.UserInfo contact, ContactDecoration decoration);

    /** The view is closing: free what the decorator holds. */
    default void dispose() {
    }
}
