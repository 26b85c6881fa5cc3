package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any head of a file, of any length up to its bytes, is sniffed without an exception: a media type or null. A
 * picture type it reports as decodable is one the pipeline decodes. Seeds: the heads of the pictures and media
 * the sniffer knows. The same bytes as a declared media type normalise to a type that is not a picture's.
 */
class SnifferFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyHeadIsSniffedWithoutException(byte[] head) {
        for (int len : new int[] {head.length, Math.min(head.length, Sniffer.HEAD), head.length / 2}) {
            String type = Sniffer.sniff(head, len);
            if (type != null) {
                assertThat(type).matches("[a-z]+/[a-z0-9.+-]+");
                if (Sniffer.decodable(type)) {
                    assertThat(type).isIn("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp");
                }
            }
        }
        String declared = Sniffer.declared(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(declared).as("a declared type is normalised, never a picture type")
                .matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*").doesNotStartWith("image/");
    }
}
