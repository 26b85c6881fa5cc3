package org.parley.chat.ui;

import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

/**
 * The chat a contribution works in: its conversation, the signed-in client and the window. Provided by Parley;
 * not meant to be implemented by plug-ins (methods may be added).
 */
public interface ChatContext {

    /** The conversation this chat shows. */
    long conversationId();

    /** The signed-in client (thread-safe; its futures complete on client threads, not on the display thread). */
    ParleyClient client();

    /** The workbench window, as a parent for dialogs. */
    Shell shell();
}
