package org.parley.server.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Examines a finished upload. Implementations are thread-safe and never trust the bytes: a picture whose header
 * declares more pixels than the limit is refused before it is decoded, and anything that fails to decode is
 * refused with a {@link MediaException} whose message can be shown to the sender.
 */
public interface MediaPipeline {

    /** The bytes of a file, readable more than once (each {@link #open} starts at the beginning). */
    interface ByteSource {
        InputStream open() throws IOException;

        long size();
    }

    /**
     * What a file is, as the server shares it.
     *
     * @param mediaType the type sniffed from the bytes (for example {@code image/jpeg}), or the declared type when
     *        the bytes are not a known picture, video or audio format ({@code application/octet-stream} when none,
     *        and when the declared type is a picture type the bytes did not prove)
     * @param picture whether it is a picture the server decoded (then {@code width}, {@code height} and
     *        {@code thumbnail} are set; width and height as displayed, the EXIF orientation applied)
     * @param thumbnail a small JPEG or PNG (at most {@link #THUMBNAIL_EDGE} pixels on its longer edge), empty when
     *        none
     * @param rewritten the shared copy when it differs from the upload (metadata stripped), in the scratch
     *        directory given to {@link #inspect}; the caller stores and then deletes it. Null when the original
     *        is shared as is.
     */
    record Inspection(String mediaType, boolean picture, int width, int height, byte[] thumbnail, Path rewritten) {
    }

    /** The longer edge of a thumbnail, in pixels. */
    int THUMBNAIL_EDGE = 320;

    /**
     * Examines an uploaded file. For a picture (sniffed from the bytes): checks its dimensions before decoding,
     * decodes it, makes the thumbnail (orientation applied), and unless {@code keepMetadata} writes a copy
     * without EXIF, XMP, IPTC and comments but with the orientation kept.
     *
     * @throws MediaException for a picture that is malformed or has too many pixels, or (unless
     *         {@code keepMetadata}) in a format whose metadata the server cannot remove (HEIC, AVIF, TIFF)
     */
    Inspection inspect(ByteSource file, String declaredType, boolean keepMetadata, Path scratchDir)
            throws MediaException, IOException;

    /**
     * Checks a video's poster frame sent by the sender's client (a picture, checked like any upload) and returns
     * its thumbnail.
     *
     * @throws MediaException when the poster is not a picture that decodes safely
     */
    byte[] posterThumbnail(byte[] poster) throws MediaException;
}
