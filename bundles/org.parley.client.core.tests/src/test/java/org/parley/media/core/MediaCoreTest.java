package org.parley.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media kinds, JPEG orientation, and video probing with the system's ffmpeg (installed by the test script). */
class MediaCoreTest {

    @TempDir
    Path dir;

    @Test
    void kindsFollowTheMediaType() {
        assertThat(MediaKind.of("image/jpeg")).isEqualTo(MediaKind.PICTURE);
        assertThat(MediaKind.of("VIDEO/MP4")).isEqualTo(MediaKind.VIDEO);
        assertThat(MediaKind.of("audio/ogg")).isEqualTo(MediaKind.AUDIO);
        assertThat(MediaKind.of("application/pdf")).isEqualTo(MediaKind.OTHER);
        assertThat(MediaKind.of(null)).isEqualTo(MediaKind.OTHER);
    }

    /** A JPEG with an Exif APP1 that holds only an orientation tag (big- or little-endian TIFF). */
    static byte[] jpegWithOrientation(int orientation, boolean littleEndian) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB), "jpg", plain);
        byte[] p = plain.toByteArray();
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (littleEndian) {
            tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                (byte) orientation, 0, 0, 0, 0, 0, 0, 0});
        } else {
            tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0,
                (byte) orientation, 0, 0, 0, 0, 0, 0});
        }
        byte[] exif = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int len = 2 + 6 + exif.length;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(exif);
        out.write(p, 2, p.length - 2);
        return out.toByteArray();
    }

    @Test
    void theOrientationIsReadFromTheExifHeader() throws Exception {
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(jpegWithOrientation(6, false)))).isEqualTo(6);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(jpegWithOrientation(8, true)))).isEqualTo(8);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(jpegWithOrientation(42, true)))).isEqualTo(1);
    }

    @Test
    void anythingElseMeansAsStored() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB), "jpg", plain);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(plain.toByteArray()))).isEqualTo(1);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream("not a picture".getBytes()))).isEqualTo(1);
        byte[] cut = jpegWithOrientation(6, false);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(java.util.Arrays.copyOf(cut, 20)))).isEqualTo(1);
        assertThat(Orientation.ofJpeg(new ByteArrayInputStream(new byte[0]))).isEqualTo(1);
    }

    /** Makes a 2-second 320x240 test video with the system's ffmpeg. */
    static Path makeVideo(Path dir) throws Exception {
        Path video = dir.resolve("clip.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", video.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        return video;
    }

    @Test
    void aVideoIsProbedForItsSizeDurationAndAPoster() throws Exception {
        VideoProbe probe = new VideoProbe();
        assertThat(probe.available()).as("ffmpeg and ffprobe (Debian package ffmpeg) are installed").isTrue();
        VideoProbe.VideoInfo info = probe.probe(makeVideo(dir)).orElseThrow();
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.durationMillis()).isBetween(1900L, 2100L);
        BufferedImage poster = ImageIO.read(new ByteArrayInputStream(info.poster()));
        assertThat(poster.getWidth()).isEqualTo(320);
        assertThat(poster.getHeight()).isEqualTo(240);
    }

    @Test
    void somethingThatIsNotAVideoGivesNothing() throws Exception {
        Path notVideo = Files.writeString(dir.resolve("notes.mp4"), "just text");
        assertThat(new VideoProbe().probe(notVideo)).isEmpty();
        assertThat(new VideoProbe(null, null).probe(notVideo)).isEmpty();
        assertThat(new VideoProbe(null, null).available()).isFalse();
    }
}
