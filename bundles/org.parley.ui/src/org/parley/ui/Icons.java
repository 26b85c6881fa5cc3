package org.parley.ui;

import java.net.URL;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.graphics.Image;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Parley's icons (16 px, with @2x variants for HiDPI), drawn for Parley: {@code icons/*.png} in this bundle, made
 * from {@code icons/src/*.svg} by {@code releng/scripts/icons.sh}. Images live in JFace's image registry, so they
 * are shared and disposed with the display. Model elements refer to them as
 * {@code platform:/plugin/org.parley.ui/icons/NAME.png}.
 */
public final class Icons {

    public static final String ABOUT = "about";
    public static final String ADD_CONTACT = "add-contact";
    public static final String CHAT = "chat";
    public static final String CONTACTS = "contacts";
    public static final String COPY = "copy";
    public static final String NEW_GROUP = "new-group";
    public static final String PARLEY = "parley";
    public static final String PREFERENCES = "preferences";
    public static final String QUIT = "quit";
    public static final String SEND = "send";
    public static final String SIGN_OUT = "sign-out";
    public static final String STATUS = "status";
    public static final String STOP = "stop";

    private Icons() {
    }

    /** The icon's descriptor, or null if there is no such icon. */
    public static ImageDescriptor descriptor(String name) {
        Bundle bundle = FrameworkUtil.getBundle(Icons.class);
        URL url = bundle == null ? null : bundle.getEntry("icons/" + name + ".png");
        return url == null ? null : ImageDescriptor.createFromURL(url);
    }

    /** The shared image of an icon (do not dispose it), or null if there is no such icon. Display thread only. */
    public static Image image(String name) {
        ImageRegistry registry = JFaceResources.getImageRegistry();
        String key = "org.parley.ui.icons." + name;
        Image image = registry.get(key);
        if (image == null) {
            ImageDescriptor d = descriptor(name);
            if (d == null) {
                return null;
            }
            registry.put(key, d);
            image = registry.get(key);
        }
        return image;
    }

    /** The application's window icons, small to large. Display thread only. */
    public static Image[] windowImages() {
        java.util.List<Image> out = new java.util.ArrayList<>();
        for (String n : new String[] {PARLEY, "parley-32", "parley-48", "parley-64", "parley-128"}) {
            Image i = image(n);
            if (i != null) {
                out.add(i);
            }
        }
        return out.toArray(Image[]::new);
    }
}
