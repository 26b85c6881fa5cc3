package org.parley.contacts.ui;

import org.eclipse.jface.resource.ImageDescriptor;

/**
 * What a {@link ContactDecorator} may add to one contact's row. Provided by Parley; not meant to be implemented by
 * plug-ins (methods may be added).
 */
public interface ContactDecoration {

    /** Quadrants of the presence icon for {@link #addOverlay}, as in JFace's {@code IDecoration}. */
    int TOP_LEFT = 0;
    int TOP_RIGHT = 1;
    int BOTTOM_LEFT = 2;
    int BOTTOM_RIGHT = 3;

    /**
     * An overlay on the 16×16 presence icon, at most about 7×7 pixels, in a quadrant (the first decorator to claim
     * a quadrant keeps it). Parley caches the composed images; the descriptor should compare equal for equal
     * pictures (for example one constant per overlay).
     */
    void addOverlay(ImageDescriptor overlay, int quadrant);

    /** Text shown before the contact's name. */
    void addPrefix(String text);

    /** Text shown after the contact's name and status (for example " [on a call]"). */
    void addSuffix(String text);

    /** A line added to the row's tooltip. */
    void addToolTip(String line);
}
