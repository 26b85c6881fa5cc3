package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes given to a picture cleaner (JPEG, PNG, GIF, WebP: the container walks that write the copy others
 * download) are cleaned or refused with {@link MediaException} (or {@link EOFException}, which the pipeline turns
 * into one): nothing else escapes, and the walk is bounded by the input (a cleaner allocates no more than the file
 * holds). A cleaned picture cleans to itself again, with nothing more to remove and the same orientation, and keeps
 * no metadata: PNG and WebP chunks and JPEG segments outside what rendering needs, and EXIF other than the minimal
 * orientation block, are absent.
 *
 * <p>The first byte of an input chooses the cleaner (modulo 4: JPEG, PNG, GIF, WebP), the rest is the file. Seeds:
 * small pictures written by ImageIO and the metadata-laden ones of {@link MediaSamples}.
 */
class PictureCleanersFuzzTest {

    private static final Set<String> PNG_KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
            "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "hIST", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT");
    private static final Set<String> WEBP_KEPT = Set.of("VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP");

    @FuzzTest(maxDuration = "60s")
    void anyBytesAreCleanedIdempotentlyOrRefused(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        int format = (input[0] & 0xFF) % 4;
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        Walk once;
        try {
            once = clean(format, file);
        } catch (MediaException | EOFException refused) {
            return;
        }
        Walk twice;
        try {
            twice = clean(format, once.bytes());
        } catch (MediaException | EOFException e) {
            throw new AssertionError("a cleaned picture is refused when cleaned again", e);
        }
        assertThat(twice.bytes()).as("cleaning is idempotent").isEqualTo(once.bytes());
        assertThat(twice.cleaned().removed()).as("nothing left to remove").isFalse();
        assertThat(twice.cleaned().orientation()).isEqualTo(once.cleaned().orientation());
        switch (format) {
            case 0 -> jpegKeepsNoMetadata(once.bytes(), once.cleaned().orientation());
            case 1 -> pngKeepsNoMetadata(once.bytes(), once.cleaned().orientation());
            case 3 -> webpKeepsNoMetadata(once.bytes(), once.cleaned().orientation());
            default -> {
                // GIF: its cleaner is checked by MetadataStrippingTest; idempotence covers its walk
            }
        }
    }

    private record Walk(byte[] bytes, Cleaned cleaned) {
    }

    private static Walk clean(int format, byte[] file) throws IOException, MediaException {
        ByteInput in = new ByteInput(new ByteArrayInputStream(file));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cleaned cleaned = switch (format) {
            case 0 -> JpegCleaner.clean(in, out, ImagePipeline.DEFAULT_MAX_JPEG_SCANS);
            case 1 -> PngCleaner.clean(in, file.length, out);
            case 2 -> GifCleaner.clean(in, out, PictureCleanersFuzzTest::checkFrame,
                    ImagePipeline.DEFAULT_MAX_ANIMATION_PIXELS);
            default -> {
                WebpCleaner.Result result = WebpCleaner.clean(in, file.length, out);
                Path copy = Files.createTempFile("fuzz-", ".webp");
                try {
                    Files.write(copy, out.toByteArray());
                    WebpCleaner.fixHeader(copy, result);
                    out.reset();
                    out.write(Files.readAllBytes(copy));
                } finally {
                    Files.delete(copy);
                }
                yield result.cleaned();
            }
        };
        return new Walk(out.toByteArray(), cleaned);
    }

    /** The pipeline's frame check with its default limits. */
    private static void checkFrame(int w, int h) throws MediaException {
        if (w < 1 || h < 1 || (long) w * h > ImagePipeline.DEFAULT_MAX_PIXELS || w > ImagePipeline.MAX_EDGE
                || h > ImagePipeline.MAX_EDGE) {
            throw new MediaException("frame of " + w + " x " + h);
        }
    }

    private static void minimalExif(byte[] data, int off, int len, int orientation) {
        byte[] block = Arrays.copyOfRange(data, off, off + len);
        if (block.length >= Exif.JPEG_PREFIX.length && Exif.startsWith(block, 0, block.length, Exif.JPEG_PREFIX)) {
            block = Arrays.copyOfRange(block, Exif.JPEG_PREFIX.length, block.length);
        }
        assertThat(block).as("the only EXIF kept is the minimal orientation block")
                .isEqualTo(Exif.minimal(orientation));
    }

    /** Segments before the first scan: no APPn but JFIF (APP0), minimal EXIF (APP1), ICC (APP2), Adobe (APP14). */
    private static void jpegKeepsNoMetadata(byte[] jpeg, int orientation) {
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return;
            }
            int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
            assertThat(marker).as("no comment segment").isNotEqualTo(0xFE);
            if (marker == 0xE1) {
                minimalExif(jpeg, at + 4, length - 2, orientation);
            } else if (marker >= 0xE0 && marker <= 0xEF) {
                assertThat(marker).as("APPn kept").isIn(0xE0, 0xE2, 0xEE);
            }
            at += 2 + length;
        }
    }

    private static void pngKeepsNoMetadata(byte[] png, int orientation) {
        ByteBuffer b = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
        int at = 8;
        while (at + 8 <= png.length) {
            int length = b.getInt(at);
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("eXIf")) {
                minimalExif(png, at + 8, length, orientation);
            } else {
                assertThat(PNG_KEPT).as("PNG chunk kept").contains(type);
            }
            at += 12 + length;
        }
    }

    private static void webpKeepsNoMetadata(byte[] webp, int orientation) {
        ByteBuffer b = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= webp.length) {
            String type = new String(webp, at, 4, StandardCharsets.ISO_8859_1);
            int length = b.getInt(at + 4);
            if (type.equals("EXIF")) {
                minimalExif(webp, at + 8, length, orientation);
            } else {
                assertThat(WEBP_KEPT).as("WebP chunk kept").contains(type);
            }
            at += 8 + length + (length & 1);
        }
    }
}
