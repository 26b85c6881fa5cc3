package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.TestConnection;

/** The client side of file transfer, for tests: pipelined uploads and downloads over a {@link TestConnection}. */
final class Transfer {

    /** Chunks in flight at once, as a real client would pipeline them. */
    static final int WINDOW = 8;

    private Transfer() {
    }

    static Transfers.UploadStart startRequest(long conversation, String clientId, String name, String type,
            SeededBytes content) {
        return new Transfers.UploadStart(conversation, clientId, name, type, content.size(), content.sha256(), false);
    }

    static Transfers.UploadReady start(TestConnection c, long conversation, String clientId, String name,
            String type, SeededBytes content) {
        return c.request(startRequest(conversation, clientId, name, type, content), Transfers.UploadReady.class);
    }

    /** A chunk was answered with an error. */
    static final class ChunkRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Session.ErrorReply error;

        ChunkRefused(Session.ErrorReply error) {
            super(error.code() + ": " + error.message());
            this.error = error;
        }
    }

    /**
     * Sends the bytes {@code [from, until)} in chunks of {@code chunk}, up to {@link #WINDOW} unanswered; every
     * chunk must be answered Ok ({@link ChunkRefused} otherwise, once the chunks in flight are answered).
     */
    static void send(TestConnection c, String uploadId, SeededBytes content, long from, long until, int chunk) {
        ArrayDeque<CompletableFuture<Message>> inflight = new ArrayDeque<>();
        long pos = from;
        Session.ErrorReply refused = null;
        while ((pos < until && refused == null) || !inflight.isEmpty()) {
            while (pos < until && refused == null && inflight.size() < WINDOW) {
                int n = (int) Math.min(chunk, until - pos);
                inflight.add(c.callAsync(new Transfers.UploadChunk(uploadId, pos, content.range(pos, n))));
                pos += n;
            }
            Message reply = await(inflight.poll());
            if (reply instanceof Session.ErrorReply e && refused == null) {
                refused = e;
            } else if (refused == null) {
                assertThat(reply).as("answer to a chunk").isInstanceOf(Session.Ok.class);
            }
        }
        if (refused != null) {
            throw new ChunkRefused(refused);
        }
    }

    /**
     * Uploads as a client that lost its connection does: start (same client id), send from the offset the server
     * holds, and when a chunk is refused because the server's copy has moved on meanwhile (chunks of the old
     * connection still being stored), start again. Returns the offset of the first start, and the result.
     */
    static Resumed resume(TestConnection c, long conversation, String clientId, SeededBytes content) {
        long firstOffset = -1;
        for (int attempt = 0; attempt < 5; attempt++) {
            Transfers.UploadReady ready = start(c, conversation, clientId, "resumed.bin", "", content);
            if (firstOffset < 0) {
                firstOffset = ready.offset();
            }
            try {
                send(c, ready.uploadId(), content, ready.offset(), content.size(), ready.chunkBytes());
                return new Resumed(firstOffset, finish(c, ready.uploadId(), ""));
            } catch (ChunkRefused e) {
                assertThat(e.error.message()).contains("expected offset");
            }
        }
        throw new AssertionError("could not resume " + clientId);
    }

    record Resumed(long firstOffset, Transfers.UploadDone done) {
    }

    /** Uploads all of {@code content} and finishes with {@code caption}. */
    static Transfers.UploadDone upload(TestConnection c, long conversation, String clientId, String name, String type,
            SeededBytes content, String caption) {
        Transfers.UploadReady ready = start(c, conversation, clientId, name, type, content);
        send(c, ready.uploadId(), content, ready.offset(), content.size(), ready.chunkBytes());
        return finish(c, ready.uploadId(), caption);
    }

    static Transfers.UploadDone finish(TestConnection c, String uploadId, String caption) {
        return c.request(new Transfers.UploadFinish(uploadId, caption, 0, 0, 0, new byte[0]),
                Transfers.UploadDone.class);
    }

    /** Downloads {@code [from, size)} of a file, pipelined, into {@code digest}; returns the bytes received. */
    static long download(TestConnection c, String fileId, long from, long size, int chunk, MessageDigest digest) {
        ArrayDeque<CompletableFuture<Message>> inflight = new ArrayDeque<>();
        long asked = from;
        long received = from;
        while (received < size) {
            while (asked < size && inflight.size() < WINDOW) {
                inflight.add(c.callAsync(new Transfers.FetchChunk(fileId, asked, chunk)));
                asked += Math.min(chunk, size - asked);
            }
            Message reply = await(inflight.poll());
            assertThat(reply).as("answer to FetchChunk at %d", received).isInstanceOf(Transfers.FileChunk.class);
            Transfers.FileChunk got = (Transfers.FileChunk) reply;
            assertThat(got.offset()).isEqualTo(received);
            assertThat(got.data().length).isEqualTo((int) Math.min(chunk, size - received));
            digest.update(got.data());
            received += got.data().length;
        }
        return received;
    }

    /** The SHA-256 of a whole file, downloaded. */
    static String downloadSha(TestConnection c, String fileId, long size, int chunk) {
        MessageDigest d = SeededBytes.digest();
        download(c, fileId, 0, size, chunk, d);
        return HexFormat.of().formatHex(d.digest());
    }

    private static Message await(CompletableFuture<Message> f) {
        try {
            return f.get(TestConnection.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer: " + e, e);
        }
    }
}
