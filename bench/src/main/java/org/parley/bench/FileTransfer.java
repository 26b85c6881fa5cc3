package org.parley.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scenario "file transfer": one user uploads a file of {@code --mib} MiB of random bytes into a 1:1 conversation
 * and downloads it again; the downloaded bytes' SHA-256 must equal the uploaded one's. Reported: MB/s (10^6
 * bytes a second) each way, next to a plain loopback copy of the same file with the same buffer size
 * ({@link LoopbackSink}, run pinned to the server's CPU by bench/run.sh): file → TCP on 127.0.0.1 → file (forced)
 * and back. That copy is this machine's physical limit for moving the bytes through one server process.
 *
 * <p>Options: --mib 64 --dir /tmp --sink-port P (no baseline without it) --buffer-kib 256
 */
final class FileTransfer {

    private final Options o;
    private final Target t;

    FileTransfer(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    int run() throws Exception {
        long size = (long) o.integer("--mib", 64) << 20;
        int buffer = o.integer("--buffer-kib", 256) << 10;
        Path dir = Files.createTempDirectory(Path.of(o.get("--dir", System.getProperty("java.io.tmpdir"))), "ft");
        Path file = dir.resolve("upload.bin");
        Path back = dir.resolve("download.bin");
        try {
            String sha = write(file, size);
            Result r = new Result(o, "file-transfer").put("bytes", size);
            int sink = o.integer("--sink-port", 0);
            if (sink > 0) {
                Path copy = dir.resolve("loopback.bin");
                double put = loopbackPut(sink, file, buffer);
                double get = loopbackGet(sink, copy, size, buffer);
                boolean same = sha.equals(sha256(copy));
                Files.deleteIfExists(copy);
                r.put("loopbackPutMBps", mbps(size, put)).put("loopbackGetMBps", mbps(size, get))
                        .put("loopbackIntact", same);
            }
            String a = o.prefix + "fa";
            String b = o.prefix + "fb";
            Accounts.register(t, List.of(a, b), 2);
            Target.Client c = Accounts.login(t, List.of(a), 1, i -> x -> {
            }).get(0);
            Target.Chat chat = c.direct(b).get(30, TimeUnit.SECONDS);
            long w0 = o.serverPids.isEmpty() ? -1 : ProcStats.writtenBytes(o.serverPids.get(0));
            ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
            long t0 = System.nanoTime();
            Object uploaded = chat.upload(file).get(30, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
            long w1 = o.serverPids.isEmpty() ? -1 : ProcStats.writtenBytes(o.serverPids.get(0));
            if (w0 >= 0 && w1 >= 0) {
                // What the server wrote per byte uploaded (its database file, mostly): the storage's amplification.
                r.put("uploadServerWrittenPerByte", Math.round((w1 - w0) * 100.0 / size) / 100.0);
            }
            chat.download(uploaded, back).get(30, TimeUnit.MINUTES);
            long t2 = System.nanoTime();
            ProcStats.Sample s2 = ProcStats.sample(o.serverPids);
            boolean intact = sha.equals(sha256(back));
            r.put("uploadMBps", mbps(size, (t1 - t0) / 1e9)).put("downloadMBps", mbps(size, (t2 - t1) / 1e9))
                    .put("intact", intact);
            r.put("uploadServerCpuPct", ProcStats.usage(s0, s1).get("serverCpuPct"));
            r.put("downloadServerCpuPct", ProcStats.usage(s1, s2).get("serverCpuPct"));
            if (!o.serverPids.isEmpty()) {
                r.put("serverRssKiB", ProcStats.rssKiB(o.serverPids.get(0)));
            }
            r.cpu(s0, s2).write(o);
            c.close();
            System.err.printf("%s: %d MiB up %.0f MB/s, down %.0f MB/s, intact %s%n", t.name(), size >> 20,
                    mbps(size, (t1 - t0) / 1e9), mbps(size, (t2 - t1) / 1e9), intact);
            return intact ? 0 : 3;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static double mbps(long bytes, double seconds) {
        return Math.round(bytes / seconds / 1e5) / 10.0;
    }

    /** Random (incompressible) bytes, the same for every run; returns their SHA-256. */
    private static String write(Path file, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(5);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(block.length, size - done);
                out.write(block, 0, n);
                md.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Sends the file to the sink, which writes and forces it; seconds until the sink confirmed. */
    private static double loopbackPut(int port, Path file, int buffer) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setSendBufferSize(buffer);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            long size = Files.size(file);
            out.writeByte('P');
            out.writeLong(size);
            byte[] buf = new byte[buffer];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                }
            }
            out.flush();
            if (s.getInputStream().read() != 1) {
                throw new IOException("the loopback sink did not confirm");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Fetches the sink's copy back into {@code target} (forced); seconds. */
    private static double loopbackGet(int port, Path target, long size, int buffer) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket(); FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            s.setReceiveBufferSize(buffer);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            DataOutputStream o = new DataOutputStream(s.getOutputStream());
            o.writeByte('G');
            o.writeLong(size);
            o.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] buf = new byte[buffer];
            long done = 0;
            while (done < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
                if (n < 0) {
                    throw new IOException("the loopback sink stopped at " + done);
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                done += n;
            }
            out.force(true);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
