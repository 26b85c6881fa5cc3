package org.parley.ui.tests;

import org.parley.contacts.ui.ContactDecoration;
import org.parley.contacts.ui.ContactDecorator;
import org.parley.protocol.message.Contacts;

/** A broken contact decorator: Parley must log it, leave it out and show the contacts anyway. */
public class ThrowingDecorator implements ContactDecorator {

    @Override
    public void decorate(Contacts.UserInfo contact, ContactDecoration decoration) {
        throw new IllegalStateException("this decorator is broken on purpose");
    }
}
