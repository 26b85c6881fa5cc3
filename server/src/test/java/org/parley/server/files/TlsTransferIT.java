package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * File transfer over TLS, with a client that asks for a whole 64 MiB file and then stops reading for a while (a
 * raw socket: the test connection's reader would drain it). The server must pace its answers instead of queueing
 * them, and the connection must survive: MINA's TLS filter fails a connection once 64 writes wait behind a large
 * one, which large chunk frames would reach at once (hence frames are written in record-sized slices).
 */
class TlsTransferIT {

    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls();

    private static Message read(DataInputStream in) throws Exception {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuffer b = ByteBuffer.wrap(frame);
        int type = b.getShort() & 0xFFFF;
        b.getInt();
        return WireCodec.decodeBody(MessageTypes.classOf(type), b.slice());
    }

    @Test
    void aDownloaderThatStopsReadingIsPacedNotDropped() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        SeededBytes content = new SeededBytes(31, 256L * CHUNK);
        Chat.Attachment a = Transfer.upload(ann, c, "tls", "tls.bin", "", content, "").attachment();
        bob.close();

        try (SSLSocket s = (SSLSocket) TestConnection.trustingSockets().createSocket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(WireCodec.encode(new Frame(1, new Session.Hello(1, 1, "raw"))));
            out.write(WireCodec.encode(new Frame(2, new Accounts.Login("bob", "password-bob", "raw"))));
            out.flush();
            assertThat(read(in)).isInstanceOf(Session.Welcome.class);
            assertThat(read(in)).isInstanceOf(Accounts.LoggedIn.class);
            for (int i = 0; i < 256; i++) {
                out.write(WireCodec.encode(new Frame(10 + i, new Transfers.FetchChunk(a.fileId(), (long) i * CHUNK,
                        CHUNK))));
            }
            out.flush();
            Thread.sleep(3000); // not reading: the server's answers back up
            MessageDigest d = SeededBytes.digest();
            for (int i = 0; i < 256; i++) {
                Message m = read(in);
                assertThat(m).as("answer %d", i).isInstanceOf(Transfers.FileChunk.class);
                Transfers.FileChunk chunk = (Transfers.FileChunk) m;
                assertThat(chunk.offset()).isEqualTo((long) i * CHUNK);
                d.update(chunk.data());
            }
            assertThat(HexFormat.of().formatHex(d.digest())).isEqualTo(content.sha256());
        }
    }
}
