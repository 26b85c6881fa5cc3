package org.parley.contacts.ui;

import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

/**
 * The Contacts view as a {@link ContactDecorator} sees it. Provided by Parley; not meant to be implemented by
 * plug-ins (methods may be added).
 */
public interface ContactsContext {

    /** The signed-in client. */
    ParleyClient client();

    /** The workbench window. */
    Shell shell();

    /** Decorates every contact again (a decorator's knowledge changed). Safe to call from any thread. */
    void refresh();
}
