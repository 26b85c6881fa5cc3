package org.parley.server.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Test content of any size that is never held in memory: byte {@code i} is a function of a seed and {@code i}
 * (SplitMix64 over 8-byte words), so any range can be produced again, from any offset, for resuming.
 */
record SeededBytes(long seed, long size) {

    private long word(long index) {
        long z = seed + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code buf[0..len)} with the bytes at {@code offset}. */
    void fill(long offset, byte[] buf, int len) {
        long pos = offset;
        int i = 0;
        while (i < len) {
            long w = word(pos >>> 3);
            for (int b = (int) (pos & 7); b < 8 && i < len; b++, i++, pos++) {
                buf[i] = (byte) (w >>> (8 * b));
            }
        }
    }

    byte[] range(long offset, int len) {
        byte[] b = new byte[len];
        fill(offset, b, len);
        return b;
    }

    /** All of it; only for small content. */
    byte[] all() {
        return range(0, Math.toIntExact(size));
    }

    String sha256() {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 20];
        for (long at = 0; at < size; at += buf.length) {
            int n = (int) Math.min(buf.length, size - at);
            fill(at, buf, n);
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }
}
