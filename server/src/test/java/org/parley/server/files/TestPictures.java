package org.parley.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.parley.server.media.MediaException;
import org.parley.server.media.MediaPipeline;

/**
 * A media pipeline for a made-up picture format, so that the files feature can be tested against the
 * {@link MediaPipeline} contract while the real image pipeline lives elsewhere. A "picture" is {@code PIC}, a
 * 4-byte metadata length, the metadata, then pixels; it is sniffed as {@code image/png} whatever was declared,
 * is 640 × 480, its thumbnail is {@code thumbnailBytes} bytes, and the shared copy drops the metadata (unless
 * kept). A file declared {@code image/*} that is not such a picture is refused, as a real pipeline refuses a
 * malformed picture.
 */
final class TestPictures implements MediaPipeline {

    private final int thumbnailBytes;

    TestPictures(int thumbnailBytes) {
        this.thumbnailBytes = thumbnailBytes;
    }

    static byte[] picture(String metadata, byte[] pixels) {
        byte[] meta = metadata.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(7 + meta.length + pixels.length).put("PIC".getBytes(StandardCharsets.US_ASCII))
                .putInt(meta.length).put(meta).put(pixels).array();
    }

    static byte[] withoutMetadata(byte[] picture) {
        int meta = ByteBuffer.wrap(picture, 3, 4).getInt();
        byte[] pixels = Arrays.copyOfRange(picture, 7 + meta, picture.length);
        return picture("", pixels);
    }

    private static boolean isPicture(byte[] b) {
        return b.length >= 7 && b[0] == 'P' && b[1] == 'I' && b[2] == 'C'
                && ByteBuffer.wrap(b, 3, 4).getInt() <= b.length - 7;
    }

    @Override
    public Inspection inspect(ByteSource file, String declaredType, boolean keepMetadata, Path scratchDir)
            throws MediaException, IOException {
        byte[] bytes;
        try (InputStream in = file.open()) {
            bytes = in.readAllBytes(); // test pictures are small
        }
        if (bytes.length != file.size()) {
            throw new IOException("the source gave " + bytes.length + " bytes, not " + file.size());
        }
        if (!isPicture(bytes)) {
            if (declaredType.startsWith("image/")) {
                throw new MediaException("not a picture this server can read");
            }
            return new Inspection(declaredType, false, 0, 0, new byte[0], null);
        }
        byte[] thumbnail = new byte[thumbnailBytes];
        Arrays.fill(thumbnail, (byte) 't');
        Path rewritten = null;
        if (!keepMetadata) {
            rewritten = Files.createTempFile(scratchDir, "stripped-", ".pic");
            Files.write(rewritten, withoutMetadata(bytes));
        }
        return new Inspection("image/png", true, 640, 480, thumbnail, rewritten);
    }

    @Override
    public byte[] posterThumbnail(byte[] poster) throws MediaException {
        if (!isPicture(poster)) {
            throw new MediaException("the poster is not a picture");
        }
        return "poster-thumbnail".getBytes(StandardCharsets.US_ASCII);
    }
}
