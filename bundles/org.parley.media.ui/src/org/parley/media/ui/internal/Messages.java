package org.parley.media.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The media plug-in's preference page strings. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.media.ui.internal.messages";

    public static String MediaPage_description;
    public static String MediaPage_autoplay;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
