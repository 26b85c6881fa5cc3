package org.parley.server.media;

/**
 * What a container walk found: the EXIF orientation (1..8, 1 when none) and whether the written copy left out
 * anything (metadata, or bytes after the end of the picture).
 */
record Cleaned(int orientation, boolean removed) {
}
