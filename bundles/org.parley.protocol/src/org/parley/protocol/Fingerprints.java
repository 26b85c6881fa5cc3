package org.parley.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The form in which server and client show a TLS certificate's identity: SHA-256 of its DER encoding, as
 * colon-separated upper-case hex. The server prints it at start-up; the client pins and displays it.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String sha256(byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
