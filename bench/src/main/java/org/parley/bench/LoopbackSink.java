package org.parley.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other end of {@link FileTransfer}'s baseline: a plain TCP server on 127.0.0.1 that stores what it is sent
 * ('P' + length + bytes: written to a file with the same buffer size, forced, then one byte 1 back) and sends it
 * back ('G' + length). No protocol, no database: what moving the bytes through one process costs here.
 *
 * <pre>
 * taskset -c 0 java -cp parley-bench.jar org.parley.bench.LoopbackSink PORT DIR [BUFFER_KIB]
 * </pre>
 */
public final class LoopbackSink {

    private LoopbackSink() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]).resolve("loopback-sink.bin");
        int buffer = (args.length > 2 ? Integer.parseInt(args[2]) : 256) << 10;
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(buffer);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.err.println("READY");
            while (true) {
                try (Socket s = server.accept()) {
                    s.setSendBufferSize(buffer);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    int mode = in.readByte();
                    long size = in.readLong();
                    byte[] buf = new byte[buffer];
                    if (mode == 'P') {
                        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                            long done = 0;
                            while (done < size) {
                                int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
                                if (n < 0) {
                                    throw new IOException("the sender stopped at " + done);
                                }
                                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                                while (bb.hasRemaining()) {
                                    out.write(bb);
                                }
                                done += n;
                            }
                            out.force(true);
                        }
                        s.getOutputStream().write(1);
                    } else {
                        OutputStream out = s.getOutputStream();
                        try (InputStream f = Files.newInputStream(file)) {
                            for (int n; (n = f.read(buf)) > 0;) {
                                out.write(buf, 0, n);
                            }
                        }
                        out.flush();
                    }
                } catch (IOException e) {
                    System.err.println("loopback sink: " + e);
                }
            }
        }
    }
}
