package org.parley.server.storage.h2;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.parley.server.files.FileStore.Upload;

/**
 * The victim of {@link H2FileDurabilityTest}, run in a child JVM: appends groups of {@link #PIECES} chunks of
 * {@link #CHUNK} bytes to one upload (chunk n is {@link #chunk}(n)) and prints {@code ACK <count>} once each
 * {@code append} has returned, until it is killed. Arguments: data directory, fsync (true/false).
 */
public final class UploadUntilKilled {

    static final int CHUNK = 64 * 1024;
    static final int PIECES = 3;
    static final long SIZE = 1L << 30;

    private UploadUntilKilled() {
    }

    static byte[] chunk(long n) {
        byte[] b = new byte[CHUNK];
        new Random(n).nextBytes(b);
        return b;
    }

    public static void main(String[] args) {
        H2Storage storage = H2Storage.open(Path.of(args[0]), Boolean.parseBoolean(args[1]));
        PrintStream out = System.out;
        Upload u = storage.files().createUpload(new Upload("victim", 1, "c", 7, "f.bin", "application/octet-stream",
                SIZE, "a".repeat(64), false, 0, 0, "", 1, 1));
        out.println("READY " + u.blobId());
        out.flush();
        for (long n = 0, held = 0;;) {
            List<byte[]> group = new ArrayList<>();
            for (int i = 0; i < PIECES; i++, n++) {
                group.add(chunk(n));
            }
            long now = storage.files().append("victim", held, group, 2);
            if (now != held + (long) PIECES * CHUNK) {
                out.println("FAILED " + now);
                out.flush();
                return;
            }
            held = now;
            out.println("ACK " + held);
            out.flush();
        }
    }
}
