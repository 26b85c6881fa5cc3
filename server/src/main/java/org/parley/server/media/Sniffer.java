package org.parley.server.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a file is, from its first bytes (magic numbers), never from its name or the type its sender declared.
 * Knows the pictures the server decodes (JPEG, PNG, GIF, WebP, BMP), the pictures it recognises but cannot clean
 * (HEIF/HEIC, AVIF, TIFF and the camera raw formats built on it), and common video and audio containers.
 */
final class Sniffer {

    /** How many leading bytes {@link #sniff} looks at. */
    static final int HEAD = 4096;

    static final String OCTET_STREAM = "application/octet-stream";

    /** RFC 6838 restricted names, "type/subtype", optional parameters (dropped). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "([a-z0-9][a-z0-9!#$&^_.+-]{0,126})/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})\\s*(;.*)?");

    private Sniffer() {
    }

    /** The media type the bytes {@code head[0, len)} show, or null when none is recognised. */
    static String sniff(byte[] head, int len) {
        if (starts(head, len, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(head, len, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (ascii(head, len, 0, "GIF87a") || ascii(head, len, 0, "GIF89a")) {
            return "image/gif";
        }
        if (ascii(head, len, 0, "RIFF") && len >= 12) {
            if (ascii(head, len, 8, "WEBP")) {
                return "image/webp";
            }
            if (ascii(head, len, 8, "WAVE")) {
                return "audio/wav";
            }
            return null;
        }
        if (isBmp(head, len)) {
            return "image/bmp";
        }
        if (starts(head, len, 0, 'I', 'I', 42, 0) || starts(head, len, 0, 'M', 'M', 0, 42)) {
            return "image/tiff";
        }
        String isoMedia = isoMedia(head, len);
        if (isoMedia != null) {
            return isoMedia;
        }
        if (starts(head, len, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return find(head, Math.min(len, 64), "webm") ? "video/webm" : "video/x-matroska";
        }
        if (ascii(head, len, 0, "OggS")) {
            return ogg(head, len);
        }
        if (ascii(head, len, 0, "fLaC")) {
            return "audio/flac";
        }
        if (ascii(head, len, 0, "ID3") || isMpegAudio(head, len)) {
            return "audio/mpeg";
        }
        return null;
    }

    /** Whether {@link #sniff}'s answer is a picture the pipeline decodes. */
    static boolean decodable(String type) {
        return switch (type) {
            case "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp" -> true;
            default -> false;
        };
    }

    /**
     * The declared type, normalised (lower case, no parameters), when it is syntactically a media type and does
     * not claim to be a picture: a picture type the bytes did not prove is not passed on, so that clients never
     * render as a picture what the server did not check. Otherwise {@code application/octet-stream}.
     */
    static String declared(String declaredType) {
        if (declaredType == null) {
            return OCTET_STREAM;
        }
        var m = MEDIA_TYPE.matcher(declaredType.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).equals("image")) {
            return OCTET_STREAM;
        }
        return m.group(1) + "/" + m.group(2);
    }

    private static boolean isBmp(byte[] h, int len) {
        if (!ascii(h, len, 0, "BM") || len < 18) {
            return false;
        }
        int dib = le32(h, 14);
        return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
    }

    /** ISO base media (MP4, QuickTime, M4A, 3GP, HEIF, AVIF): an ftyp box, or a QuickTime file without one. */
    private static String isoMedia(byte[] h, int len) {
        if (len < 12) {
            return null;
        }
        if (ascii(h, len, 4, "ftyp")) {
            String brand = new String(h, 8, 4, StandardCharsets.ISO_8859_1);
            int boxSize = be32(h, 0);
            int brandsEnd = Math.min(len, boxSize >= 16 && boxSize <= 4096 ? boxSize : 16);
            switch (brand) {
                case "M4A ", "M4B ", "M4P ", "F4A ", "F4B ":
                    return "audio/mp4";
                case "qt  ":
                    return "video/quicktime";
                case "heic", "heix", "heim", "heis", "hevc", "hevx":
                    return "image/heic";
                case "avif", "avis":
                    return "image/avif";
                case "mif1", "msf1":
                    return find(h, brandsEnd, "avif") ? "image/avif" : "image/heif";
                case "crx ":
                    return "image/x-canon-cr3";
                default:
                    break;
            }
            if (brand.startsWith("3g2")) {
                return "video/3gpp2";
            }
            if (brand.startsWith("3gp") || brand.startsWith("3gg")) {
                return "video/3gpp";
            }
            return "video/mp4";
        }
        int size = be32(h, 0);
        if ((size >= 8 || size == 1) && (ascii(h, len, 4, "moov") || ascii(h, len, 4, "mdat")
                || ascii(h, len, 4, "wide") || ascii(h, len, 4, "pnot"))) {
            return "video/quicktime";
        }
        return null;
    }

    /** Ogg: the codec is named at the start of the first packet, after the page header and its segment table. */
    private static String ogg(byte[] h, int len) {
        if (len < 27) {
            return "application/ogg";
        }
        int packet = 27 + (h[26] & 0xFF);
        if (ascii(h, len, packet, "OpusHead") || ascii(h, len, packet, "Speex   ")
                || starts(h, len, packet, 0x01, 'v', 'o', 'r', 'b', 'i', 's')
                || starts(h, len, packet, 0x7F, 'F', 'L', 'A', 'C')) {
            return "audio/ogg";
        }
        if (starts(h, len, packet, 0x80, 't', 'h', 'e', 'o', 'r', 'a')) {
            return "video/ogg";
        }
        return "application/ogg";
    }

    /**
     * An MPEG audio frame header without an ID3 tag in front: sync, no reserved version, layer, bit rate or
     * sample rate, and a second frame header where the first frame says it ends (two in a row rarely happen by
     * chance in other data).
     */
    private static boolean isMpegAudio(byte[] h, int len) {
        int first = mpegFrameLength(h, len, 0);
        return first > 0 && (first + 4 > len || mpegFrameLength(h, len, first) > 0);
    }

    private static final int[][] BITRATES = { // kbit/s by [version group][bitrate index], layer III
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}}; // MPEG-2 / 2.5
    private static final int[][] SAMPLE_RATES = {{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000}};

    /** The length of the layer III frame whose header is at {@code at}, or -1 when none is there. */
    private static int mpegFrameLength(byte[] h, int len, int at) {
        if (at + 4 > len || (h[at] & 0xFF) != 0xFF || (h[at + 1] & 0xE0) != 0xE0) {
            return -1;
        }
        int version = (h[at + 1] >> 3) & 3; // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
        int layer = (h[at + 1] >> 1) & 3; // 1: layer III
        int bitrate = (h[at + 2] >> 4) & 0x0F;
        int rate = (h[at + 2] >> 2) & 3;
        if (version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3) {
            return -1;
        }
        int padding = (h[at + 2] >> 1) & 1;
        int kbps = BITRATES[version == 3 ? 0 : 1][bitrate];
        int sampleRate = SAMPLE_RATES[version == 3 ? 0 : version == 2 ? 1 : 2][rate];
        int samples = version == 3 ? 144 : 72;
        return samples * kbps * 1000 / sampleRate + padding;
    }

    private static boolean starts(byte[] h, int len, int at, int... bytes) {
        if (at < 0 || at + bytes.length > len) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((h[at + i] & 0xFF) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] h, int len, int at, String s) {
        if (at < 0 || at + s.length() > len) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (h[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean find(byte[] h, int len, String s) {
        for (int i = 0; i + s.length() <= len; i++) {
            if (ascii(h, len, i, s)) {
                return true;
            }
        }
        return false;
    }

    static int le32(byte[] h, int at) {
        return (h[at] & 0xFF) | (h[at + 1] & 0xFF) << 8 | (h[at + 2] & 0xFF) << 16 | (h[at + 3] & 0xFF) << 24;
    }

    private static int be32(byte[] h, int at) {
        return (h[at] & 0xFF) << 24 | (h[at + 1] & 0xFF) << 16 | (h[at + 2] & 0xFF) << 8 | (h[at + 3] & 0xFF);
    }
}
