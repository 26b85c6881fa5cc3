package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The type comes from the bytes: hand-built headers of each format, passed through the whole pipeline. */
class SnifferTest {

    private final ImagePipeline pipeline = new ImagePipeline();

    @TempDir
    Path scratch;

    private String typeOf(byte[] bytes, String declared) throws Exception {
        MediaPipeline.Inspection i = pipeline.inspect(MediaSamples.source(bytes), declared, true, scratch);
        assertThat(i.picture()).isFalse();
        assertThat(i.thumbnail()).isEmpty();
        assertThat(i.rewritten()).isNull();
        return i.mediaType();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (p instanceof int[] ints) {
                for (int b : ints) {
                    out.write(b);
                }
            } else {
                out.write((Integer) p);
            }
        }
        out.writeBytes(new byte[64]); // some payload after the header
        return out.toByteArray();
    }

    private static String sniff(byte[] head) {
        return Sniffer.sniff(head, head.length);
    }

    @Test
    void pictures() {
        assertThat(sniff(bytes(new int[] {0xFF, 0xD8, 0xFF, 0xE0}))).isEqualTo("image/jpeg");
        assertThat(sniff(bytes(new int[] {0x89}, "PNG\r\n", new int[] {0x1A}, "\n"))).isEqualTo("image/png");
        assertThat(sniff(bytes("GIF89a"))).isEqualTo("image/gif");
        assertThat(sniff(bytes("GIF87a"))).isEqualTo("image/gif");
        assertThat(sniff(bytes("RIFF", new int[] {4, 0, 0, 0}, "WEBPVP8 "))).isEqualTo("image/webp");
        assertThat(sniff(bytes("BM", new int[] {0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0})))
                .isEqualTo("image/bmp");
        assertThat(sniff(bytes("BM", "not a bitmap header"))).isNull();
    }

    @Test
    void picturesTheServerCannotClean() {
        assertThat(sniff(bytes(new int[] {0, 0, 0, 24}, "ftypheic", new int[] {0, 0, 0, 0}, "mif1heic")))
                .isEqualTo("image/heic");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 28}, "ftypavif", new int[] {0, 0, 0, 0}, "avifmif1miaf")))
                .isEqualTo("image/avif");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 24}, "ftypmif1", new int[] {0, 0, 0, 0}, "mif1avif")))
                .isEqualTo("image/avif");
        assertThat(sniff(bytes("II", new int[] {42, 0, 8, 0, 0, 0}))).isEqualTo("image/tiff");
        assertThat(sniff(bytes("MM", new int[] {0, 42, 0, 0, 0, 8}))).isEqualTo("image/tiff");
    }

    @Test
    void videoAndAudioContainers() {
        assertThat(sniff(bytes(new int[] {0, 0, 0, 24}, "ftypisom", new int[] {0, 0, 2, 0}, "isomiso2")))
                .isEqualTo("video/mp4");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 20}, "ftypqt  ", new int[] {0, 0, 2, 0}, "qt  ")))
                .isEqualTo("video/quicktime");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 8}, "wide", new int[] {0, 0, 0, 8}, "mdat")))
                .isEqualTo("video/quicktime");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 20}, "ftyp3gp4", new int[] {0, 0, 0, 0}, "3gp4")))
                .isEqualTo("video/3gpp");
        assertThat(sniff(bytes(new int[] {0, 0, 0, 28}, "ftypM4A ", new int[] {0, 0, 0, 0}, "M4A mp42isom")))
                .isEqualTo("audio/mp4");
        // EBML header: DocType (0x4282) "webm", or "matroska".
        assertThat(sniff(bytes(new int[] {0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84},
                "webm"))).isEqualTo("video/webm");
        assertThat(sniff(bytes(new int[] {0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x82, 0x88}, "matroska")))
                .isEqualTo("video/x-matroska");
        assertThat(sniff(ogg(bytes("OpusHead")))).isEqualTo("audio/ogg");
        assertThat(sniff(ogg(bytes(new int[] {1}, "vorbis")))).isEqualTo("audio/ogg");
        assertThat(sniff(ogg(bytes(new int[] {0x80}, "theora")))).isEqualTo("video/ogg");
        assertThat(sniff(ogg(bytes("something else")))).isEqualTo("application/ogg");
        assertThat(sniff(bytes("fLaC", new int[] {0, 0, 0, 34}))).isEqualTo("audio/flac");
        assertThat(sniff(bytes("RIFF", new int[] {36, 0, 0, 0}, "WAVEfmt "))).isEqualTo("audio/wav");
        assertThat(sniff(bytes("ID3", new int[] {4, 0, 0, 0, 0, 0, 0}))).isEqualTo("audio/mpeg");
    }

    /** An Ogg page header (27 bytes, one segment) in front of the first packet. */
    private static byte[] ogg(byte[] packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("OggS".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[22]); // version, flags, granule, serial, sequence, checksum
        out.write(1); // one segment
        out.write(packet.length);
        out.writeBytes(packet);
        return out.toByteArray();
    }

    @Test
    void mp3FramesWithoutATagNeedTwoHeadersInARow() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
        byte[] frames = new byte[417 * 2 + 4];
        for (int at : new int[] {0, 417}) {
            frames[at] = (byte) 0xFF;
            frames[at + 1] = (byte) 0xFB;
            frames[at + 2] = (byte) 0x90;
            frames[at + 3] = 0x64;
        }
        assertThat(sniff(frames)).isEqualTo("audio/mpeg");
        frames[417] = 0x12; // no second header where the first frame ends
        assertThat(sniff(frames)).isNull();
    }

    @Test
    void unknownBytesTakeTheDeclaredTypeWhenItIsOneAndNotAPicture() throws Exception {
        byte[] text = "just some notes\n".getBytes(StandardCharsets.UTF_8);
        assertThat(typeOf(text, "text/plain; charset=UTF-8")).isEqualTo("text/plain");
        assertThat(typeOf(text, "Application/PDF")).isEqualTo("application/pdf");
        assertThat(typeOf(text, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(typeOf(text, "not a type")).isEqualTo("application/octet-stream");
        assertThat(typeOf(text, "text/")).isEqualTo("application/octet-stream");
        assertThat(typeOf(text, "text/plain\r\nX-Evil: 1")).isEqualTo("application/octet-stream");
        assertThat(typeOf(text, "")).isEqualTo("application/octet-stream");
        assertThat(typeOf(text, null)).isEqualTo("application/octet-stream");
        // A picture type the bytes do not prove is not passed on.
        assertThat(typeOf(text, "image/png")).isEqualTo("application/octet-stream");
        assertThat(typeOf(text, "image/svg+xml")).isEqualTo("application/octet-stream");
    }

    @Test
    void theBytesWinOverTheDeclaredType() throws Exception {
        byte[] flac = bytes("fLaC", new int[] {0, 0, 0, 34});
        assertThat(typeOf(flac, "image/jpeg")).isEqualTo("audio/flac");
        assertThat(typeOf(flac, "text/plain")).isEqualTo("audio/flac");
        byte[] mp4 = bytes(new int[] {0, 0, 0, 24}, "ftypisom", new int[] {0, 0, 2, 0}, "isomiso2");
        assertThat(typeOf(mp4, "application/octet-stream")).isEqualTo("video/mp4");
    }
}
