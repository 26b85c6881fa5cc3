package org.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.codec.WireCodec;

/**
 * A peer that writes whatever bytes it is told, when it is told, and reads the server's frames one by one in the
 * order they arrive: for tests of pipelining, deadlines and misbehaving clients. It may connect from another
 * loopback address (127.0.0.2, …) so that per-address limits can be told apart from the healthy client's.
 */
public final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /** The version the server's frames are decoded in: 1 until a Welcome says another. */
    private int version = 1;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to 127.0.0.1:{@code port} from {@code from} (a loopback address), reads time out after 15 s. */
    public static RawPeer connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) TestConnection.TIMEOUT.toMillis());
        return new RawPeer(s);
    }

    public static RawPeer connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    /**
     * The frames encoded one after the other (in version 1: the tests pipeline frames that are the same in every
     * version), as one write would carry them.
     */
    public static byte[] encode(Frame... frames) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Frame f : frames) {
            b.writeBytes(WireCodec.encode(f));
        }
        return b.toByteArray();
    }

    /** Writes the bytes; false if the server has closed the connection. */
    public boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean send(Frame... frames) {
        return write(encode(frames));
    }

    /** The next frame from the server; an assertion error if there is none within the timeout or it closed. */
    public Frame read() throws IOException {
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        ByteBuffer buf = ByteBuffer.wrap(frame);
        int type = Short.toUnsignedInt(buf.getShort());
        int requestId = buf.getInt();
        var m = WireCodec.decodeBody(MessageTypes.classOf(type), buf.slice(), version);
        if (m instanceof org.parley.protocol.message.Session.Welcome w) {
            version = w.version();
        }
        return new Frame(requestId, m);
    }

    /** The next frame if one comes within {@code millis}, else null (and the connection stays usable). */
    public Frame readWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /**
     * Reads until the server closes the connection (true), or the timeout passes (false). What comes before the end
     * is skipped a buffer at a time: a peer that did not read may have megabytes waiting in the sockets, and a
     * system call per byte took tens of seconds for a few such peers.
     */
    public boolean awaitClosed() throws IOException {
        byte[] skipped = new byte[64 * 1024];
        try {
            while (in.read(skipped) >= 0) {
                // skip whatever comes before the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    /** Whether the server closes the connection within {@code millis} (frames before the end are skipped). */
    public boolean awaitClosedWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return awaitClosed();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
