package org.parley.ui.tests;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.parley.contacts.ui.ContactDecoration;
import org.parley.contacts.ui.ContactDecorator;
import org.parley.contacts.ui.ContactsContext;
import org.parley.protocol.message.Contacts;

/**
 * A contact decorator contributed by the test bundle: "ann" is a VIP (a gold overlay, a suffix, a tooltip line);
 * contacts put {@link #onCall} get " [on a call]", which shows once the decorator asks the view to refresh.
 */
public class VipDecorator implements ContactDecorator {

    static final RGB GOLD = new RGB(230, 170, 0);
    /** A 7×7 gold square: one constant, so that the view's image cache can share the composed icons. */
    static final ImageDescriptor BADGE = ImageDescriptor.createFromImageDataProvider(zoom -> {
        int size = 7 * zoom / 100;
        ImageData data = new ImageData(size, size, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        for (int x = 0; x < size; x++) {
            for (int y = 0; y < size; y++) {
                data.setPixel(x, y, data.palette.getPixel(GOLD));
            }
        }
        return data;
    });
    private static final Set<String> ON_CALL = ConcurrentHashMap.newKeySet();
    private static volatile ContactsContext context;

    @Override
    public void init(ContactsContext c) {
        context = c;
    }

    @Override
    public void decorate(Contacts.UserInfo contact, ContactDecoration decoration) {
        if (contact.user().equals("ann")) {
            decoration.addOverlay(BADGE, ContactDecoration.TOP_RIGHT);
            decoration.addSuffix(" [VIP]");
            decoration.addToolTip("Very important person");
        }
        if (ON_CALL.contains(contact.user())) {
            decoration.addSuffix(" [on a call]");
        }
    }

    /** Marks a contact as on a call, from any thread, the way a telephony plug-in would learn it. */
    static void onCall(String user) {
        ON_CALL.add(user);
        context.refresh();
    }
}
