package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures through the real pipeline: decoding, limits, thumbnails, damaged input, threads. */
class ImagePipelineTest {

    private final ImagePipeline pipeline = new ImagePipeline();

    @TempDir
    Path scratch;

    private MediaPipeline.Inspection inspect(byte[] bytes, String declared) throws Exception {
        return pipeline.inspect(MediaSamples.source(bytes), declared, false, scratch);
    }

    private static BufferedImage decode(byte[] thumbnail) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumbnail));
        assertThat(img).as("thumbnail decodes").isNotNull();
        return img;
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P';
    }

    private List<Path> scratchFiles() throws IOException {
        try (var files = Files.list(scratch)) {
            return files.toList();
        }
    }

    @Test
    void aJpegGetsItsSizeAndAJpegThumbnail() throws Exception {
        MediaPipeline.Inspection i = inspect(MediaSamples.jpeg(1200, 800), "application/octet-stream");
        assertThat(i.mediaType()).isEqualTo("image/jpeg");
        assertThat(i.picture()).isTrue();
        assertThat(i.width()).isEqualTo(1200);
        assertThat(i.height()).isEqualTo(800);
        assertThat(isJpeg(i.thumbnail())).isTrue();
        BufferedImage t = decode(i.thumbnail());
        assertThat(t.getWidth()).isEqualTo(MediaPipeline.THUMBNAIL_EDGE);
        assertThat(t.getHeight()).isEqualTo(213);
        assertThat(i.rewritten()).as("nothing to strip").isNull();
        assertThat(scratchFiles()).as("no file left behind").isEmpty();
    }

    @Test
    void aLargeLegalPictureIsDecodedSubsampledIntoASmallThumbnail() throws Exception {
        byte[] big = MediaSamples.write(MediaSamples.noise(4000, 3000, 1), "jpeg");
        MediaPipeline.Inspection i = inspect(big, "image/jpeg");
        assertThat(i.width()).isEqualTo(4000);
        assertThat(i.height()).isEqualTo(3000);
        BufferedImage t = decode(i.thumbnail());
        assertThat(Math.max(t.getWidth(), t.getHeight())).isLessThanOrEqualTo(MediaPipeline.THUMBNAIL_EDGE);
        assertThat(i.thumbnail().length).as("noise is the worst case for size").isLessThanOrEqualTo(30 * 1024);
    }

    @Test
    void thumbnailsNeverGrowASmallPicture() throws Exception {
        MediaPipeline.Inspection i = inspect(MediaSamples.jpeg(40, 30), null);
        BufferedImage t = decode(i.thumbnail());
        assertThat(t.getWidth()).isEqualTo(40);
        assertThat(t.getHeight()).isEqualTo(30);
    }

    @Test
    void aPngWithTransparencyGetsAPngThumbnailAndAnOpaqueOneAJpeg() throws Exception {
        MediaPipeline.Inspection clear = inspect(MediaSamples.write(MediaSamples.halves(640, 480, true), "png"), "");
        assertThat(clear.mediaType()).isEqualTo("image/png");
        assertThat(isPng(clear.thumbnail())).isTrue();
        BufferedImage t = decode(clear.thumbnail());
        assertThat(t.getWidth()).isEqualTo(320);
        assertThat(t.getRGB(2, 2) >>> 24).as("the transparent corner stays transparent").isZero();
        assertThat(t.getRGB(300, 200) >>> 24).isEqualTo(0xFF);

        // An alpha channel whose pixels are all opaque: a JPEG is smaller.
        MediaPipeline.Inspection opaque = inspect(MediaSamples.write(withAlphaButOpaque(), "png"), "");
        assertThat(isJpeg(opaque.thumbnail())).isTrue();
    }

    private static BufferedImage withAlphaButOpaque() {
        BufferedImage src = MediaSamples.halves(200, 100, false);
        BufferedImage argb = new BufferedImage(200, 100, BufferedImage.TYPE_INT_ARGB);
        argb.getGraphics().drawImage(src, 0, 0, null);
        return argb;
    }

    @Test
    void aGifThumbnailShowsTheFirstFrame() throws Exception {
        byte[] gif = MediaSamples.animatedGif(400, 200);
        MediaPipeline.Inspection i = inspect(gif, "image/gif");
        assertThat(i.mediaType()).isEqualTo("image/gif");
        assertThat(i.width()).isEqualTo(400);
        assertThat(i.height()).isEqualTo(200);
        assertThat(i.rewritten()).as("the animation is shared as it is").isNull();
        int rgb = decode(i.thumbnail()).getRGB(100, 50);
        assertThat((rgb >> 16) & 0xFF).as("red, the first frame").isGreaterThan(200);
        assertThat((rgb >> 8) & 0xFF).isLessThan(60);
    }

    @Test
    void bmpAndWebpDecode() throws Exception {
        MediaPipeline.Inspection bmp = inspect(MediaSamples.write(MediaSamples.halves(300, 100, false), "bmp"), null);
        assertThat(bmp.mediaType()).isEqualTo("image/bmp");
        assertThat(bmp.width()).isEqualTo(300);
        assertThat(decode(bmp.thumbnail()).getWidth()).isEqualTo(300);

        MediaPipeline.Inspection webp = inspect(MediaSamples.WEBP_1X1, "image/webp");
        assertThat(webp.mediaType()).isEqualTo("image/webp");
        assertThat(webp.picture()).isTrue();
        assertThat(webp.width()).isEqualTo(1);
        assertThat(webp.height()).isEqualTo(1);
        assertThat(decode(webp.thumbnail()).getWidth()).isEqualTo(1);

        // Lossy (VP8), and extended with alpha (VP8X + ALPH + VP8): 1 x 1 samples.
        byte[] lossy = java.util.Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
        assertThat(inspect(lossy, null).picture()).isTrue();
        byte[] alpha = java.util.Base64.getDecoder().decode("UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAAR"
                + "BxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==");
        assertThat(inspect(alpha, null).width()).isEqualTo(1);
    }

    @Test
    void aWebpWhoseCanvasIsTooLargeIsRefusedFromItsHeader() throws Exception {
        byte[] webp = MediaSamples.webpWithMetadata(1);
        // VP8X canvas width-1 and height-1, 24-bit little-endian at 24 and 27: 16384 x 16384.
        for (int at : new int[] {24, 27}) {
            webp[at] = (byte) 0xFF;
            webp[at + 1] = 0x3F;
            webp[at + 2] = 0;
        }
        assertThatThrownBy(() -> inspect(webp, "image/webp")).isInstanceOf(MediaException.class)
                .hasMessage("the picture is 16384 x 16384 pixels; this server decodes up to 64 megapixels");
    }

    @Test
    void aRotatedJpegGetsAPortraitThumbnailAndPortraitDimensions() throws Exception {
        // Stored landscape (left red, right blue), Orientation 6: shown turned 90 degrees clockwise.
        byte[] jpeg = MediaSamples.jpegWithExif(MediaSamples.jpeg(600, 300), 6);
        MediaPipeline.Inspection i = inspect(jpeg, "image/jpeg");
        assertThat(i.width()).isEqualTo(300);
        assertThat(i.height()).isEqualTo(600);
        BufferedImage t = decode(i.thumbnail());
        assertThat(t.getWidth()).isEqualTo(160);
        assertThat(t.getHeight()).isEqualTo(320);
        // Turned clockwise, the stored left (red) is now at the top, the right (blue) at the bottom.
        assertThat((t.getRGB(80, 40) >> 16) & 0xFF).isGreaterThan(200);
        assertThat(t.getRGB(80, 280) & 0xFF).isGreaterThan(200);
    }

    @Test
    void orientationEightTurnsTheOtherWay() throws Exception {
        byte[] jpeg = MediaSamples.jpegWithExif(MediaSamples.jpeg(600, 300), 8);
        BufferedImage t = decode(inspect(jpeg, "image/jpeg").thumbnail());
        assertThat(t.getHeight()).isEqualTo(320);
        assertThat(t.getRGB(80, 40) & 0xFF).as("blue on top").isGreaterThan(200);
        assertThat((t.getRGB(80, 280) >> 16) & 0xFF).as("red at the bottom").isGreaterThan(200);
    }

    @Test
    void aPngBombIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = MediaSamples.pngBomb(100_000, 100_000);
        assertThat(bomb.length).isLessThan(1024);
        assertThatThrownBy(() -> inspect(bomb, "image/png"))
                .isInstanceOf(MediaException.class)
                .hasMessage("the picture is 100000 x 100000 pixels; this server decodes up to 64 megapixels");
        assertThat(scratchFiles()).as("the stripped copy is removed").isEmpty();
    }

    @Test
    void aBombIsRefusedWithoutReadingPastItsHeader() throws Exception {
        byte[] header = Arrays.copyOf(MediaSamples.pngBomb(100_000, 100_000), 33); // signature + IHDR
        byte[] file = Arrays.copyOf(header, 20 * 1024 * 1024); // and 20 MB that would be image data
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        MediaPipeline.ByteSource counting = new MediaPipeline.ByteSource() {
            @Override
            public java.io.InputStream open() {
                return new java.io.FilterInputStream(new ByteArrayInputStream(file)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        read.addAndGet(Math.max(n, 0));
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        read.addAndGet(c < 0 ? 0 : 1);
                        return c;
                    }
                };
            }

            @Override
            public long size() {
                return file.length;
            }
        };
        assertThatThrownBy(() -> pipeline.inspect(counting, "image/png", false, scratch))
                .isInstanceOf(MediaException.class).hasMessageContaining("100000 x 100000");
        assertThat(read.get()).isLessThan(100_000);
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void theLimitsAreTheConstructors() throws Exception {
        ImagePipeline small = new ImagePipeline(100 * 100, 1);
        assertThat(small.inspect(MediaSamples.source(MediaSamples.jpeg(100, 100)), null, false, scratch).picture())
                .isTrue();
        assertThatThrownBy(() -> small.inspect(MediaSamples.source(MediaSamples.jpeg(101, 100)), null, false, scratch))
                .isInstanceOf(MediaException.class)
                .hasMessage("the picture is 101 x 100 pixels; this server decodes up to 10,000 pixels");
        // A very thin picture is under the pixel limit but not under the edge limit.
        assertThatThrownBy(() -> inspect(MediaSamples.pngBomb(70_000, 1), "image/png"))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("65535 pixels on a side");
        assertThatThrownBy(() -> new ImagePipeline(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJpegWithTooManyScansIsRefusedBeforeItIsDecoded() throws Exception {
        byte[] normal = MediaSamples.progressiveJpeg(400, 300, 0);
        assertThat(MediaSamples.scans(normal)).as("a progressive JPEG").isGreaterThan(1).isLessThan(20);
        assertThat(inspect(normal, "image/jpeg").picture()).isTrue();

        byte[] bomb = MediaSamples.progressiveJpeg(400, 300, 2000);
        assertThatThrownBy(() -> inspect(bomb, "image/jpeg")).isInstanceOf(MediaException.class)
                .hasMessageContaining("more than 100 scans");
        assertThatThrownBy(() -> pipeline.posterThumbnail(bomb)).isInstanceOf(MediaException.class)
                .hasMessageContaining("more than 100 scans");
        ImagePipeline fewer = new ImagePipeline(ImagePipeline.DEFAULT_MAX_PIXELS, 1, 3,
                ImagePipeline.DEFAULT_MAX_ANIMATION_PIXELS, ImagePipeline.DEFAULT_DECODE_TIMEOUT_MILLIS);
        assertThatThrownBy(() -> fewer.inspect(MediaSamples.source(normal), null, false, scratch))
                .isInstanceOf(MediaException.class).hasMessageContaining("more than 3 scans");
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void aPictureThatOutlastsTheDecodeDeadlineIsRefused() throws Exception {
        // A deadline of 1 ms: any real decode reads its input for longer than that.
        ImagePipeline hasty = new ImagePipeline(ImagePipeline.DEFAULT_MAX_PIXELS, 1,
                ImagePipeline.DEFAULT_MAX_JPEG_SCANS, ImagePipeline.DEFAULT_MAX_ANIMATION_PIXELS, 1);
        byte[] big = MediaSamples.write(MediaSamples.noise(3000, 2000, 3), "jpeg");
        assertThatThrownBy(() -> hasty.inspect(MediaSamples.source(big), null, false, scratch))
                .isInstanceOf(MediaException.class).hasMessageContaining("too much work to decode");
    }

    @Test
    void everyGifFrameIsCheckedAndAnimationsAreBounded() throws Exception {
        assertThat(inspect(MediaSamples.craftedGif(1, 1, 1, 1, 1), "image/gif").picture()).isTrue();
        // 200 frames on an 8000 x 8000 screen: 12.8 billion pixels for a viewer to compose.
        int[] frames = new int[200];
        Arrays.fill(frames, 1);
        assertThatThrownBy(() -> inspect(MediaSamples.craftedGif(8000, 8000, frames), "image/gif"))
                .isInstanceOf(MediaException.class).hasMessageContaining("pixels in all frames together");
        // A small first frame, then a huge one.
        assertThatThrownBy(() -> inspect(MediaSamples.craftedGif(10, 10, 1, 65535), "image/gif"))
                .isInstanceOf(MediaException.class).hasMessageContaining("65535 x 65535");
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void aTruncatedJpegIsRefused() throws Exception {
        byte[] jpeg = MediaSamples.write(MediaSamples.noise(400, 300, 2), "jpeg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> inspect(cut, "image/jpeg"))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("incomplete");
        assertThatThrownBy(() -> pipeline.inspect(MediaSamples.source(cut), "image/jpeg", true, scratch))
                .as("also when the metadata is kept").isInstanceOf(MediaException.class);
        // Cut in the middle of the image data but given an end marker: the decoder would fill in grey.
        byte[] patched = Arrays.copyOf(cut, cut.length + 2);
        patched[cut.length] = (byte) 0xFF;
        patched[cut.length + 1] = (byte) 0xD9;
        assertThatThrownBy(() -> inspect(patched, "image/jpeg"))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("premature end");
        byte[] headerOnly = Arrays.copyOf(jpeg, 300);
        assertThatThrownBy(() -> inspect(headerOnly, "image/jpeg")).isInstanceOf(MediaException.class);
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void damagedPicturesOfEveryKindAreRefusedWithAMediaException() throws Exception {
        Random r = new Random(7);
        List<byte[]> damaged = new ArrayList<>();
        byte[] png = MediaSamples.write(MediaSamples.noise(200, 100, 3), "png");
        damaged.add(Arrays.copyOf(png, png.length / 2)); // truncated PNG
        damaged.add(Arrays.copyOf(png, 40));
        byte[] gif = MediaSamples.animatedGif(100, 100);
        damaged.add(Arrays.copyOf(gif, 20)); // header only
        damaged.add(Arrays.copyOf(MediaSamples.WEBP_1X1, 20));
        byte[] bmp = MediaSamples.write(MediaSamples.halves(100, 100, false), "bmp");
        damaged.add(Arrays.copyOf(bmp, 60));
        byte[] jpeg = MediaSamples.jpeg(100, 100);
        for (int n = 0; n < 20; n++) { // valid starts with random bodies
            for (byte[] start : List.of(jpeg, png, gif, bmp, MediaSamples.WEBP_1X1)) {
                byte[] b = Arrays.copyOf(start, 400);
                int keep = Math.min(start.length, 8 + r.nextInt(40));
                for (int k = keep; k < b.length; k++) {
                    b[k] = (byte) r.nextInt();
                }
                damaged.add(b);
            }
        }
        for (byte[] b : damaged) {
            try {
                MediaPipeline.Inspection i = inspect(b, "image/jpeg");
                if (i.picture()) { // a few random bodies still make a picture; then it must be a whole one
                    assertThat(i.thumbnail()).isNotEmpty();
                    if (i.rewritten() != null) { // bytes after the picture's end were left out
                        Files.delete(i.rewritten());
                    }
                } else { // the randomness hit the magic number: not a picture at all, and not called one
                    assertThat(i.mediaType()).isEqualTo("application/octet-stream");
                }
            } catch (MediaException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void flippedBytesAnywhereGiveAPictureOrAMediaExceptionAndNothingElse() throws Exception {
        List<byte[]> samples = List.of(
                MediaSamples.jpegWithMetadata(MediaSamples.jpeg(120, 90), 6),
                MediaSamples.pngWithMetadata(MediaSamples.write(MediaSamples.halves(120, 90, true), "png"), 6),
                MediaSamples.animatedGif(60, 40),
                MediaSamples.webpWithMetadata(6),
                MediaSamples.write(MediaSamples.halves(40, 30, false), "bmp"));
        Random r = new Random(11);
        int pictures = 0;
        int refused = 0;
        for (int n = 0; n < 150; n++) {
            for (byte[] sample : samples) {
                byte[] b = sample.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    // Mostly in the first 200 bytes, where headers, lengths and metadata are.
                    int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(200, b.length));
                    b[at] = (byte) r.nextInt(256);
                }
                try {
                    MediaPipeline.Inspection i = inspect(b, null);
                    if (i.picture()) {
                        pictures++;
                        assertThat(i.thumbnail()).isNotEmpty();
                        assertThat(i.width()).isPositive();
                    }
                    if (i.rewritten() != null) {
                        Files.delete(i.rewritten());
                    }
                } catch (MediaException expected) {
                    refused++;
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(pictures).as("some survive").isPositive();
        assertThat(refused).as("some are refused").isPositive();
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void randomBytesNamedJpgAreAPlainFileNotAPicture() throws Exception {
        byte[] random = new byte[5000];
        new Random(42).nextBytes(random);
        random[0] = 0x12; // whatever the seed, not a JPEG start
        MediaPipeline.Inspection i = inspect(random, "image/jpeg");
        assertThat(i.picture()).isFalse();
        assertThat(i.mediaType()).isEqualTo("application/octet-stream");
        assertThat(i.thumbnail()).isEmpty();
        assertThat(i.rewritten()).isNull();
    }

    @Test
    void bmpHeadersThatWouldMakeTheDecoderAllocateAreRefused() throws Exception {
        byte[] bmp = MediaSamples.write(MediaSamples.halves(100, 100, false), "bmp");
        byte[] huge = bmp.clone();
        huge[34] = (byte) 0xFF; // biSizeImage = 0x7FFFFFFF: more than the file
        huge[35] = (byte) 0xFF;
        huge[36] = (byte) 0xFF;
        huge[37] = 0x7F;
        assertThatThrownBy(() -> inspect(huge, null)).isInstanceOf(MediaException.class)
                .hasMessageContaining("declares more data");
        byte[] embedded = bmp.clone();
        embedded[30] = 4; // BI_JPEG
        assertThatThrownBy(() -> inspect(embedded, null)).isInstanceOf(MediaException.class)
                .hasMessageContaining("embedded JPEG or PNG");
    }

    @Test
    void picturesTheServerCannotCleanAreRefusedUnlessTheMetadataIsKept() throws Exception {
        byte[] heic = new byte[64];
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 0, heic, 0, 12);
        assertThatThrownBy(() -> inspect(heic, "image/heic")).isInstanceOf(MediaException.class)
                .hasMessageContaining("HEIC");
        MediaPipeline.Inspection kept = pipeline.inspect(MediaSamples.source(heic), "image/heic", true, scratch);
        assertThat(kept.mediaType()).isEqualTo("image/heic");
        assertThat(kept.picture()).isFalse();
    }

    @Test
    void videoPosters() throws Exception {
        byte[] poster = MediaSamples.write(MediaSamples.halves(1280, 720, false), "jpeg");
        BufferedImage t = decode(pipeline.posterThumbnail(poster));
        assertThat(t.getWidth()).isEqualTo(320);
        assertThat(t.getHeight()).isEqualTo(180);
        assertThat(decode(pipeline.posterThumbnail(MediaSamples.jpegWithExif(MediaSamples.jpeg(640, 360), 6)))
                .getHeight()).as("orientation applied").isEqualTo(320);

        byte[] random = new byte[2000];
        new Random(1).nextBytes(random);
        random[0] = 0;
        assertThatThrownBy(() -> pipeline.posterThumbnail(random)).isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> pipeline.posterThumbnail(new byte[0])).isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> pipeline.posterThumbnail(Arrays.copyOf(poster, poster.length / 3)))
                .isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> pipeline.posterThumbnail(MediaSamples.pngBomb(100_000, 100_000)))
                .isInstanceOf(MediaException.class).hasMessageContaining("megapixels");
    }

    @Test
    void severalThreadsGetTheSameAnswersAsOne() throws Exception {
        List<byte[]> inputs = List.of(MediaSamples.jpeg(900, 600),
                MediaSamples.jpegWithMetadata(MediaSamples.jpeg(500, 700), 6),
                MediaSamples.write(MediaSamples.halves(640, 480, true), "png"),
                MediaSamples.pngWithMetadata(MediaSamples.write(MediaSamples.halves(300, 300, false), "png"), 3),
                MediaSamples.animatedGif(200, 120),
                MediaSamples.webpWithMetadata(6),
                MediaSamples.pngBomb(100_000, 100_000));
        List<String> expected = new ArrayList<>();
        for (byte[] in : inputs) {
            expected.add(summary(in));
        }
        ImagePipeline shared = new ImagePipeline(ImagePipeline.DEFAULT_MAX_PIXELS, 2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                for (byte[] in : inputs) {
                    Callable<String> task = () -> summary(shared, in);
                    results.add(pool.submit(task));
                }
            }
            for (int k = 0; k < results.size(); k++) {
                assertThat(results.get(k).get()).isEqualTo(expected.get(k % inputs.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String summary(byte[] in) throws IOException {
        return summary(pipeline, in);
    }

    /** Everything an inspection says, the thumbnail and the shared copy by content. */
    private String summary(ImagePipeline p, byte[] in) throws IOException {
        try {
            MediaPipeline.Inspection i = p.inspect(MediaSamples.source(in), null, false, scratch);
            String copy = "-";
            if (i.rewritten() != null) {
                copy = Arrays.toString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(i.rewritten())));
                Files.delete(i.rewritten());
            }
            return i.mediaType() + " " + i.width() + "x" + i.height() + " " + Arrays.hashCode(i.thumbnail()) + " "
                    + copy;
        } catch (MediaException e) {
            return "refused: " + e.getMessage();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
