package org.parley.ide.internal;

import org.parley.contacts.ui.internal.ContactsPart;

/** Window &gt; Show View &gt; Parley &gt; Parley Contacts: the Contacts part of the Parley application. */
public final class ContactsView extends ParleyViewPart {

    public static final String ID = "org.parley.ide.contacts";

    @Override
    protected Class<?> partClass() {
        return ContactsPart.class;
    }

    @Override
    protected String promptText() {
        return "Your Parley contacts and conversations show here. Double-click one to chat.";
    }
}
