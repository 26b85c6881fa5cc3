package org.parley.media.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The viewer's bounds, checked from the headers of pictures a server may not have checked. */
class PictureBoundsTest {

    /** A GIF crafted byte by byte: the given screen and one 1 x 1 frame per entry (an entry other than 1: that edge). */
    private static byte[] gif(int screenW, int screenH, int... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {(byte) screenW, (byte) (screenW >> 8), (byte) screenH, (byte) (screenH >> 8),
            (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        out.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 0, 10, 0, 0, 0}); // a graphic control extension
        for (int edge : frames) {
            out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, (byte) edge, (byte) (edge >> 8), (byte) edge,
                (byte) (edge >> 8), 0, 2, 2, 0x44, 0x01, 0});
        }
        out.write(0x3B);
        return out.toByteArray();
    }

    private static void check(byte[] picture) throws IOException {
        PictureBounds.check(new ByteArrayInputStream(picture));
    }

    private static byte[] write(int w, int h, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    @Test
    void ordinaryPicturesPass() throws IOException {
        assertThatCode(() -> check(gif(100, 100, 1, 1, 1))).doesNotThrowAnyException();
        assertThatCode(() -> check(write(640, 480, "png"))).doesNotThrowAnyException();
        assertThatCode(() -> check(write(640, 480, "jpeg"))).doesNotThrowAnyException();
        assertThatCode(() -> check(write(64, 64, "gif"))).doesNotThrowAnyException();
        assertThatCode(() -> check("not a picture".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .doesNotThrowAnyException();
    }

    @Test
    void gifBombsAreRefusedBeforeDecoding() {
        int[] frames = new int[200];
        java.util.Arrays.fill(frames, 1);
        assertThatThrownBy(() -> check(gif(8000, 8000, frames))).isInstanceOf(PictureBounds.TooLarge.class)
                .hasMessageContaining("frames");
        assertThatThrownBy(() -> check(gif(10, 10, 1, 65535))).isInstanceOf(PictureBounds.TooLarge.class)
                .hasMessageContaining("65535 x 65535");
    }

    @Test
    void hugePngAndJpegHeadersAreRefused() throws IOException {
        byte[] png = write(10, 10, "png");
        png[16] = 0;
        png[17] = 1; // width 65536 + 10, height 10... make the height large too
        png[20] = 0;
        png[21] = 1;
        assertThatThrownBy(() -> check(png)).isInstanceOf(PictureBounds.TooLarge.class);
        assertThatThrownBy(() -> PictureBounds.check(new ByteArrayInputStream(write(200, 100, "jpeg")), 10_000,
                PictureBounds.MAX_ANIMATION_PIXELS)).isInstanceOf(PictureBounds.TooLarge.class)
                .hasMessageContaining("200 x 100");
    }
}
