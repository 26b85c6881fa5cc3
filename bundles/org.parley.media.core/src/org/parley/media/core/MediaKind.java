package org.parley.media.core;

import java.util.Locale;

/** How Parley shows a file, by media type. */
public enum MediaKind {
    PICTURE, VIDEO, AUDIO, OTHER;

    public static MediaKind of(String mediaType) {
        String t = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        if (t.startsWith("image/")) {
            return PICTURE;
        } else if (t.startsWith("video/")) {
            return VIDEO;
        } else if (t.startsWith("audio/")) {
            return AUDIO;
        }
        return OTHER;
    }
}
