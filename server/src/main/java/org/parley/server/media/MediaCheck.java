package org.parley.server.media;

/**
 * Prints the ImageIO reader picked for each picture type and exits 1 when one is missing:
 * {@code java -cp parley-server.jar org.parley.server.media.MediaCheck}. It tells whether a packaged server still
 * finds the TwelveMonkeys plug-ins (registered through META-INF/services, which the shaded jar must merge).
 */
public final class MediaCheck {

    private MediaCheck() {
    }

    public static void main(String[] args) {
        ImagePipeline.readers().forEach(System.out::println);
        try {
            new ImagePipeline();
            System.out.println("ok");
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
