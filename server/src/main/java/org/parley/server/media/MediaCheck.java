package org.parley.server.media;

import java.util.Base64;

/**
 * Prints the ImageIO reader picked for each picture type, then makes a thumbnail from a built-in WebP (the
 * TwelveMonkeys reader, Java2D and the JPEG writer end to end), and exits 1 when something is missing:
 * {@code java -cp parley-server.jar org.parley.server.media.MediaCheck}. It tells whether a packaged server still
 * finds the TwelveMonkeys plug-ins (registered through META-INF/services, which the shaded jar must merge).
 */
public final class MediaCheck {

    /** A 1 x 1 lossless WebP. */
    private static final String WEBP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

    private MediaCheck() {
    }

    public static void main(String[] args) {
        ImagePipeline.readers().forEach(System.out::println);
        try {
            byte[] thumbnail = new ImagePipeline().posterThumbnail(Base64.getDecoder().decode(WEBP));
            System.out.println("thumbnail of a WebP: " + thumbnail.length + " bytes");
            System.out.println("ok");
        } catch (IllegalStateException | MediaException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
