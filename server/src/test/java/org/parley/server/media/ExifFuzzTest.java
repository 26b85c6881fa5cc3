package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes read as a TIFF (EXIF) structure, at any offset and length (in range or not), give an orientation
 * from 1 to 8 and never an exception; the minimal block written back for it reads as the same orientation.
 * The first byte of an input chooses the offset (0-7), the rest is the block. Seeds: the EXIF blocks of
 * {@link MediaSamples}, little- and big-endian.
 */
class ExifFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBlockGivesAnOrientation(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int off = input[0] & 7;
        for (int len : new int[] {input.length - off, input.length, input.length - off - 1}) {
            int orientation = Exif.orientation(input, off, len);
            assertThat(orientation).isBetween(1, 8);
            byte[] minimal = Exif.minimal(orientation);
            int again = minimal == null ? 1 : Exif.orientation(minimal, 0, minimal.length);
            assertThat(again).as("the minimal block keeps the orientation").isEqualTo(orientation);
        }
    }
}
