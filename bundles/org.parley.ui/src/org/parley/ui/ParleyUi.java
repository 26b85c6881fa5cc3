package org.parley.ui;

import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;

/**
 * What Parley's UI bundles share: the logged-in {@link ParleyClient} is in the application's Eclipse context
 * (inject it); this helper re-posts client events to the display thread, where SWT code must run.
 */
public final class ParleyUi {

    /** The part stack where chats open (contributed parts may use it too). */
    public static final String MAIN_STACK = "org.parley.ui.stack.main";
    /** The part stack on the left (contacts). */
    public static final String SIDE_STACK = "org.parley.ui.stack.left";
    /** Part descriptor of a chat; its persisted state "conversationId" says which conversation it shows. */
    public static final String CHAT_DESCRIPTOR = "org.parley.chat.ui.chat";
    public static final String CONVERSATION_ID = "conversationId";

    private ParleyUi() {
    }

    /** Adds a listener whose events run on the display thread (dropped once the display is gone). */
    public static ClientListener onDisplay(ParleyClient client, Display display, ClientListener uiListener) {
        ClientListener relay = relay(display, display::isDisposed, uiListener);
        client.addListener(relay);
        return relay;
    }

    /**
     * Adds a listener whose events run on the display thread for as long as {@code owner} lives: events still
     * queued when it is disposed (a part being closed) are dropped, and the listener is removed with it.
     */
    public static ClientListener onDisplay(ParleyClient client, Control owner, ClientListener uiListener) {
        ClientListener relay = relay(owner.getDisplay(), owner::isDisposed, uiListener);
        client.addListener(relay);
        owner.addListener(SWT.Dispose, e -> client.removeListener(relay));
        return relay;
    }

    private static ClientListener relay(Display display, BooleanSupplier gone, ClientListener uiListener) {
        return (ClientListener) java.lang.reflect.Proxy.newProxyInstance(
                ParleyUi.class.getClassLoader(), new Class<?>[] {ClientListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(uiListener, args);
                    }
                    if (!display.isDisposed()) {
                        display.asyncExec(() -> {
                            if (gone.getAsBoolean()) {
                                return; // queued before its owner went away
                            }
                            try {
                                method.invoke(uiListener, args);
                            } catch (ReflectiveOperationException e) {
                                throw new IllegalStateException(e.getCause());
                            }
                        });
                    }
                    return null;
                });
    }
}
