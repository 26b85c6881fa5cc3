package org.parley.ui;

import java.util.EnumMap;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.widgets.Display;
import org.parley.protocol.message.Contacts;

/**
 * Presence as a small coloured disc (16 × 16), for any plug-in that lists people: green online, amber away, a hollow
 * grey ring offline. One set per display, disposed with it.
 */
public final class PresenceIcons {

    private static final String KEY = PresenceIcons.class.getName();

    private PresenceIcons() {
    }

    /** The icon of a presence on the display (made once). */
    @SuppressWarnings("unchecked")
    public static Image of(Display display, Contacts.Presence presence) {
        Map<Contacts.Presence, Image> icons = (Map<Contacts.Presence, Image>) display.getData(KEY);
        if (icons == null) {
            icons = make(display);
            display.setData(KEY, icons);
            Map<Contacts.Presence, Image> made = icons;
            display.disposeExec(() -> made.values().forEach(Image::dispose));
        }
        return icons.get(presence);
    }

    private static Map<Contacts.Presence, Image> make(Display d) {
        Map<Contacts.Presence, Image> icons = new EnumMap<>(Contacts.Presence.class);
        int[][] rgb = {{46, 160, 67}, {230, 160, 20}, {150, 150, 150}};
        Contacts.Presence[] order = {Contacts.Presence.ONLINE, Contacts.Presence.AWAY, Contacts.Presence.OFFLINE};
        for (int i = 0; i < order.length; i++) {
            ImageData data = new ImageData(16, 16, 32, new PaletteData(0xFF0000, 0xFF00, 0xFF));
            data.alphaData = new byte[16 * 16];
            Image img = new Image(d, data);
            GC gc = new GC(img);
            gc.setAntialias(SWT.ON);
            Color c = new Color(rgb[i][0], rgb[i][1], rgb[i][2]);
            if (order[i] == Contacts.Presence.OFFLINE) {
                gc.setForeground(c);
                gc.setLineWidth(2);
                gc.drawOval(3, 3, 9, 9);
            } else {
                gc.setBackground(c);
                gc.fillOval(2, 2, 12, 12);
            }
            gc.dispose();
            icons.put(order[i], img);
        }
        return icons;
    }
}
