import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

/**
 * Used by releng/scripts/container-check.sh: registers the first account (the administrator) of a fresh server
 * started from the image, over its published port, with a plain Hello and Register over TLS pinned to the
 * certificate fingerprint the server printed. Run with the JDK's source launcher and the server's jar:
 * {@code java -cp parley-server.jar ContainerRegister.java HOST PORT FINGERPRINT USER} with the password in the
 * environment variable PARLEY_ADMIN_PASSWORD. Prints the reply; exit code 0 when registered, 1 otherwise.
 */
public final class ContainerRegister {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String pin = args[2].replace(":", "").toLowerCase();
        String user = args[3];
        String password = System.getenv("PARLEY_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("set PARLEY_ADMIN_PASSWORD");
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new Pinned(pin)}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(WireCodec.encode(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION,
                    "container-check")), 1));
            Message welcome = read(in, 1);
            System.out.println("hello: " + welcome);
            if (!(welcome instanceof Session.Welcome w)) {
                System.exit(1);
                return;
            }
            out.write(WireCodec.encode(new Frame(2, new Accounts.Register(user, password, user, "container-check")),
                    w.version()));
            Message reply = read(in, w.version());
            System.out.println("register: " + String.valueOf(reply).replaceAll("token=[^,)]*", "token=…"));
            System.exit(reply instanceof Session.ErrorReply ? 1 : 0);
        }
    }

    private static Message read(DataInputStream in, int version) throws java.io.IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuffer buf = ByteBuffer.wrap(frame);
        int type = buf.getShort() & 0xFFFF;
        buf.getInt(); // request id
        return WireCodec.decodeBody(MessageTypes.classOf(type), buf.slice(), version);
    }

    /** Trusts only the certificate whose SHA-256 is the pin, as the client pins a self-signed server. */
    private record Pinned(String pin) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                String actual = HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                if (!actual.equals(pin)) {
                    throw new CertificateException("certificate SHA-256 " + actual + ", expected " + pin);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
