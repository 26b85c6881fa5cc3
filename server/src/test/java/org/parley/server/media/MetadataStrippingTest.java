package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared copy loses location and other metadata, keeps its pixels byte for byte and its orientation. Checked
 * with metadata-extractor (an independent reader) and by scanning the bytes.
 */
class MetadataStrippingTest {

    private final ImagePipeline pipeline = new ImagePipeline();

    @TempDir
    Path scratch;

    private static Metadata metadata(byte[] bytes) throws Exception {
        return ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
    }

    private static int orientation(Metadata m) throws Exception {
        ExifIFD0Directory ifd0 = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
        return ifd0 == null ? 1 : ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
    }

    private byte[] shared(MediaPipeline.Inspection i) throws Exception {
        assertThat(i.rewritten()).as("a stripped copy").isNotNull();
        assertThat(i.rewritten().getParent()).isEqualTo(scratch);
        byte[] b = Files.readAllBytes(i.rewritten());
        Files.delete(i.rewritten());
        return b;
    }

    @Test
    void jpegLosesExifXmpIptcCommentsAndTrailingDataButKeepsOrientationAndPixels() throws Exception {
        byte[] plain = MediaSamples.jpeg(600, 400);
        byte[] original = MediaSamples.jpegWithMetadata(plain, 6);
        Metadata before = metadata(original);
        assertThat(before.getFirstDirectoryOfType(GpsDirectory.class).getGeoLocation()).as("the sample has GPS")
                .isNotNull();
        assertThat(before.getFirstDirectoryOfType(XmpDirectory.class)).isNotNull();
        assertThat(before.getFirstDirectoryOfType(JpegCommentDirectory.class)).isNotNull();

        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(original), "image/jpeg", false, scratch);
        byte[] copy = shared(i);
        Metadata after = metadata(copy);
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(XmpDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(IptcDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(JpegCommentDirectory.class)).isNull();
        assertThat(orientation(after)).isEqualTo(6);
        ExifIFD0Directory ifd0 = after.getFirstDirectoryOfType(ExifIFD0Directory.class);
        assertThat(ifd0.getTags()).as("Orientation is the only tag left").hasSize(1);
        for (String gone : List.of(MediaSamples.CAMERA, "GPSLatitude", "Paris", "taken at home", "trailing")) {
            assertThat(MediaSamples.contains(copy, gone)).as(gone).isFalse();
        }
        // Not re-encoded: the original's entropy-coded data is in the copy unchanged.
        assertThat(MediaSamples.contains(copy, Arrays.copyOfRange(plain, plain.length - 2000, plain.length))).isTrue();
        assertThat(copy).endsWith(0xFF, 0xD9);
        // The copy is itself a clean picture: inspecting it again removes nothing.
        assertThat(pipeline.inspect(MediaSamples.source(copy), null, false, scratch).rewritten()).isNull();
        assertThat(decode(copy).getWidth()).isEqualTo(600);
    }

    private static BufferedImage decode(byte[] b) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(b));
        assertThat(img).isNotNull();
        return img;
    }

    @Test
    void aProgressiveJpegKeepsEveryScan() throws Exception {
        BufferedImage img = MediaSamples.noise(256, 192, 5);
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] plain = bytes.toByteArray();
        byte[] copy = shared(pipeline.inspect(MediaSamples.source(MediaSamples.jpegWithMetadata(plain, 1)), null,
                false, scratch));
        assertThat(copy).isEqualTo(plain); // the metadata added and nothing else taken away
    }

    @Test
    void keepMetadataSharesTheOriginal() throws Exception {
        byte[] original = MediaSamples.jpegWithMetadata(MediaSamples.jpeg(300, 200), 6);
        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(original), null, true, scratch);
        assertThat(i.rewritten()).isNull();
        assertThat(i.width()).as("orientation still applied to the dimensions").isEqualTo(200);
        try (var files = Files.list(scratch)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void anUprightJpegKeepsNoExifAtAll() throws Exception {
        byte[] original = MediaSamples.jpegWithExif(MediaSamples.jpeg(300, 200), 1);
        byte[] copy = shared(pipeline.inspect(MediaSamples.source(original), null, false, scratch));
        Metadata after = metadata(copy);
        assertThat(after.getFirstDirectoryOfType(ExifIFD0Directory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    }

    @Test
    void jpegSegmentsADecoderNeedsStay() throws Exception {
        // An ICC profile (APP2) and an Adobe segment (APP14) are colour, not metadata; MPF (APP2) points at the
        // trailing images and goes with them.
        byte[] plain = MediaSamples.jpeg(64, 64);
        var out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, 2);
        String icc = "ICC_PROFILE\0\1\1fake-profile";
        String adobe = "Adobe\0\144\0\0\0\0\1";
        segment(out, 0xE2, icc);
        segment(out, 0xEE, adobe);
        segment(out, 0xE2, "MPF\0MM\0*");
        out.write(plain, 2, plain.length - 2);
        byte[] copy = shared(pipeline.inspect(MediaSamples.source(out.toByteArray()), null, false, scratch));
        assertThat(MediaSamples.contains(copy, "ICC_PROFILE")).isTrue();
        assertThat(MediaSamples.contains(copy, "Adobe")).isTrue();
        assertThat(MediaSamples.contains(copy, "MPF")).isFalse();
        assertThat(copy.length).as("only MPF left out")
                .isEqualTo(plain.length + 4 + icc.length() + 4 + adobe.length());
    }

    private static void segment(java.io.ByteArrayOutputStream out, int marker, String data) {
        byte[] b = data.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.write(0xFF);
        out.write(marker);
        out.write((b.length + 2) >> 8);
        out.write(b.length + 2);
        out.writeBytes(b);
    }

    @Test
    void pngLosesTextTimeAndExifButKeepsOrientationAndImageData() throws Exception {
        byte[] plain = MediaSamples.write(MediaSamples.halves(200, 100, true), "png");
        byte[] original = MediaSamples.pngWithMetadata(plain, 8);
        assertThat(metadata(original).getFirstDirectoryOfType(GpsDirectory.class)).as("the sample has GPS")
                .isNotNull();

        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(original), "image/png", false, scratch);
        assertThat(i.width()).as("orientation 8 swaps the edges").isEqualTo(100);
        byte[] copy = shared(i);
        List<String> chunks = pngChunks(copy);
        assertThat(chunks).doesNotContain("tEXt", "zTXt", "iTXt", "tIME");
        assertThat(chunks).containsSubsequence("IHDR", "eXIf", "IDAT", "IEND");
        Metadata after = metadata(copy);
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(orientation(after)).isEqualTo(8);
        assertThat(MediaSamples.contains(copy, MediaSamples.CAMERA)).isFalse();
        // Same pixels: the copy decodes to the picture ImageIO wrote.
        BufferedImage a = decode(plain);
        BufferedImage b = decode(copy);
        for (int[] p : new int[][] {{0, 0}, {10, 10}, {150, 80}, {199, 99}}) {
            assertThat(b.getRGB(p[0], p[1])).isEqualTo(a.getRGB(p[0], p[1]));
        }
        assertThat(pipeline.inspect(MediaSamples.source(copy), null, false, scratch).rewritten())
                .as("idempotent").isNull();
    }

    @Test
    void aPngWithoutMetadataIsSharedAsItIs() throws Exception {
        byte[] plain = MediaSamples.write(MediaSamples.halves(200, 100, false), "png");
        assertThat(pipeline.inspect(MediaSamples.source(plain), null, false, scratch).rewritten()).isNull();
    }

    private static List<String> pngChunks(byte[] png) {
        List<String> types = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            byte[] t = new byte[4];
            b.get(t);
            types.add(new String(t, java.nio.charset.StandardCharsets.ISO_8859_1));
            b.position(b.position() + length + 4);
        }
        assertThat(b.remaining()).as("chunks fill the file exactly").isZero();
        return types;
    }

    @Test
    void webpLosesExifAndXmpWithSizesAndFlagsFixed() throws Exception {
        byte[] original = MediaSamples.webpWithMetadata(6);
        assertThat(metadata(original).getFirstDirectoryOfType(GpsDirectory.class)).as("the sample has GPS")
                .isNotNull();

        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(original), "image/webp", false, scratch);
        assertThat(i.mediaType()).isEqualTo("image/webp");
        byte[] copy = shared(i);
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(4)).as("RIFF size").isEqualTo(copy.length - 8);
        List<String> chunks = new ArrayList<>();
        int at = 12;
        while (at + 8 <= copy.length) {
            chunks.add(new String(copy, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            int length = b.getInt(at + 4);
            at += 8 + length + (length & 1);
        }
        assertThat(at).isEqualTo(copy.length);
        assertThat(chunks).containsExactly("VP8X", "VP8L", "EXIF");
        assertThat(copy[20] & 0x0C).as("VP8X flags: EXIF set, XMP cleared").isEqualTo(0x08);
        Metadata after = metadata(copy);
        assertThat(after.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(after.getFirstDirectoryOfType(XmpDirectory.class)).isNull();
        assertThat(orientation(after)).isEqualTo(6);
        assertThat(decode(copy).getWidth()).as("still a WebP the reader decodes").isEqualTo(1);
        assertThat(pipeline.inspect(MediaSamples.source(copy), null, false, scratch).rewritten()).isNull();

        // Upright: no EXIF at all, and the flag cleared.
        byte[] upright = shared(pipeline.inspect(MediaSamples.source(MediaSamples.webpWithMetadata(1)), null, false,
                scratch));
        assertThat(upright[20] & 0x0C).isZero();
        assertThat(MediaSamples.contains(upright, "EXIF")).isFalse();
        assertThat(ByteBuffer.wrap(upright).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(upright.length - 8);
    }

    @Test
    void gifLosesCommentsAndXmpButStaysAnimated() throws Exception {
        byte[] plain = MediaSamples.animatedGif(120, 80);
        int flags = plain[10] & 0xFF;
        int afterHeader = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
        var out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, afterHeader);
        out.writeBytes(new byte[] {0x21, (byte) 0xFE, 13});
        out.writeBytes("taken at home".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(0);
        // XMP as Adobe writes it: raw packet after the identifier, then the 258-byte "magic trailer" that makes a
        // sub-block parser land on the terminator.
        out.writeBytes(new byte[] {0x21, (byte) 0xFF, 11});
        out.writeBytes("XMP DataXMP<x:xmpmeta>GPS 48,51.48N</x:xmpmeta>".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(1);
        for (int k = 0xFF; k >= 0; k--) {
            out.write(k);
        }
        out.write(0);
        out.write(plain, afterHeader, plain.length - afterHeader);
        byte[] original = out.toByteArray();

        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(original), null, false, scratch);
        byte[] copy = shared(i);
        assertThat(MediaSamples.contains(copy, "taken at home")).isFalse();
        assertThat(MediaSamples.contains(copy, "XMP")).isFalse();
        assertThat(MediaSamples.contains(copy, "GPS")).isFalse();
        assertThat(copy).hasSize(plain.length).as("exactly the GIF ImageIO wrote").isEqualTo(plain);
        try (var iis = ImageIO.createImageInputStream(new ByteArrayInputStream(copy))) {
            var reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            assertThat(reader.getNumImages(true)).as("both frames").isEqualTo(2);
            reader.dispose();
        }
        assertThat(pipeline.inspect(MediaSamples.source(plain), null, false, scratch).rewritten()).isNull();
        // Cut inside a frame: incomplete; cut between blocks (no trailer): accepted.
        assertThatThrownBy(() -> pipeline.inspect(MediaSamples.source(Arrays.copyOf(plain, plain.length - 20)), null,
                true, scratch)).isInstanceOf(MediaException.class);
        assertThat(pipeline.inspect(MediaSamples.source(Arrays.copyOf(plain, plain.length - 1)), null, true,
                scratch).picture()).isTrue();
    }

    @Test
    void webpKeepsOnlyWhatRenderingNeeds() throws Exception {
        byte[] vp8l = Arrays.copyOfRange(MediaSamples.WEBP_1X1, 12, MediaSamples.WEBP_1X1.length);
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        // Content credentials with a location, and an unknown chunk.
        MediaSamples.riffChunk(body, "VP8X", new byte[10]);
        body.writeBytes(vp8l);
        MediaSamples.riffChunk(body, "C2PA", "c2pa manifest: GPSLatitude 48.8584 N".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        MediaSamples.riffChunk(body, "zZzZ", "unknown chunk secret".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] b = body.toByteArray();
        var file = new java.io.ByteArrayOutputStream();
        file.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        file.writeBytes(b);
        byte[] original = file.toByteArray();

        byte[] copy = shared(pipeline.inspect(MediaSamples.source(original), "image/webp", false, scratch));
        for (String gone : List.of("C2PA", "GPSLatitude", "zZzZ", "secret")) {
            assertThat(MediaSamples.contains(copy, gone)).as(gone).isFalse();
        }
        assertThat(chunks(copy)).containsExactly("VP8X", "VP8L");
        assertThat(decode(copy).getWidth()).isEqualTo(1);
        assertThat(metadata(copy).getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    }

    /** The RIFF chunk types of a WebP, checking that their lengths fill the file. */
    private static List<String> chunks(byte[] webp) {
        ByteBuffer b = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(4)).as("RIFF size").isEqualTo(webp.length - 8);
        List<String> types = new ArrayList<>();
        int at = 12;
        while (at + 8 <= webp.length) {
            types.add(new String(webp, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            int length = b.getInt(at + 4);
            at += 8 + length + (length & 1);
        }
        assertThat(at).isEqualTo(webp.length);
        return types;
    }

    @Test
    void jpegSegmentsAreCutToWhatTheirStructureHolds() throws Exception {
        byte[] plain = MediaSamples.jpeg(200, 100);
        int eoi = plain.length - 2;
        var out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, eoi);
        // A DNL segment (2 bytes of line count) with text behind it, and an unknown JPGn segment.
        byte[] dnl = MediaSamples.concat(new byte[] {0, 100}, "dnl secret text".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDC, 0, (byte) (dnl.length + 2)});
        out.writeBytes(dnl);
        byte[] jpg5 = "jpg5 secret".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xF5, 0, (byte) (jpg5.length + 2)});
        out.writeBytes(jpg5);
        out.write(plain, eoi, 2);
        byte[] original = out.toByteArray();
        // And a JFIF APP0 with a thumbnail and text after its fields.
        int app0 = 2;
        int app0Length = ((plain[4] & 0xFF) << 8) | (plain[5] & 0xFF);
        assertThat(new String(plain, 6, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("JFIF");
        var withThumb = new java.io.ByteArrayOutputStream();
        withThumb.write(original, 0, app0 + 2);
        byte[] jfif = MediaSamples.concat(Arrays.copyOfRange(original, 6, 6 + 12), MediaSamples.concat(
                new byte[] {1, 1, 0, 0, 0}, "jfif secret".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        withThumb.writeBytes(new byte[] {0, (byte) (jfif.length + 2)});
        withThumb.writeBytes(jfif);
        withThumb.write(original, app0 + 2 + app0Length, original.length - app0 - 2 - app0Length);
        byte[] hostile = withThumb.toByteArray();

        byte[] copy = shared(pipeline.inspect(MediaSamples.source(hostile), "image/jpeg", false, scratch));
        for (String gone : List.of("dnl secret", "jpg5", "jfif secret")) {
            assertThat(MediaSamples.contains(copy, gone)).as(gone).isFalse();
        }
        assertThat(MediaSamples.contains(copy, new byte[] {(byte) 0xFF, (byte) 0xDC, 0, 4, 0, 100}))
                .as("the DNL itself stays").isTrue();
        assertThat(decode(copy).getWidth()).isEqualTo(200);
    }

    @Test
    void gifExtensionsKeepOnlyTheirOneBlock() throws Exception {
        byte[] plain = MediaSamples.animatedGif(40, 30);
        int flags = plain[10] & 0xFF;
        int afterHeader = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
        var out = new java.io.ByteArrayOutputStream();
        out.write(plain, 0, afterHeader);
        byte[] text = "loop secret".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {0x21, (byte) 0xFF, 11});
        out.writeBytes("NETSCAPE2.0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {3, 1, 0, 0, (byte) text.length});
        out.writeBytes(text);
        out.write(0);
        byte[] plainText = "plain text secret".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {0x21, 0x01, 12, 0, 0, 0, 0, 10, 0, 10, 0, 8, 8, 1, 0, (byte) plainText.length});
        out.writeBytes(plainText);
        out.write(0);
        out.write(plain, afterHeader, plain.length - afterHeader);

        byte[] copy = shared(pipeline.inspect(MediaSamples.source(out.toByteArray()), null, false, scratch));
        for (String gone : List.of("loop secret", "plain text secret")) {
            assertThat(MediaSamples.contains(copy, gone)).as(gone).isFalse();
        }
        assertThat(MediaSamples.contains(copy, "NETSCAPE2.0")).as("looping stays").isTrue();
        try (var iis = ImageIO.createImageInputStream(new ByteArrayInputStream(copy))) {
            var reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            assertThat(reader.getNumImages(true)).isEqualTo(2);
            reader.dispose();
        }
    }

    @Test
    void everyDirectoryMetadataExtractorFindsInTheCopiesIsHarmless() throws Exception {
        List<byte[]> copies = List.of(
                shared(pipeline.inspect(MediaSamples.source(MediaSamples.jpegWithMetadata(MediaSamples.jpeg(80, 60),
                        3)), null, false, scratch)),
                shared(pipeline.inspect(MediaSamples.source(MediaSamples.pngWithMetadata(MediaSamples.write(
                        MediaSamples.halves(80, 60, false), "png"), 3)), null, false, scratch)),
                shared(pipeline.inspect(MediaSamples.source(MediaSamples.webpWithMetadata(3)), null, false, scratch)));
        for (byte[] copy : copies) {
            for (Directory d : metadata(copy).getDirectories()) {
                assertThat(d.getName()).isIn("JPEG", "JFIF", "Huffman", "Exif IFD0", "PNG-IHDR", "PNG-sRGB",
                        "PNG-pHYs", "PNG-gAMA", "PNG-cHRM", "WebP", "File Type", "PNG-eXIf");
            }
        }
    }
}
