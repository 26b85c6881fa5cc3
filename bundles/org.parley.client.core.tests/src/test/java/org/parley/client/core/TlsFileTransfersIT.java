package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;

/**
 * Files over TLS while messages flow both ways on the same connections: chunk frames (many TLS records each) and
 * message pushes and sends are written by several threads at once on both sides. Every byte and every message
 * must arrive intact (record-sized slices of two frames must never mix).
 */
class TlsFileTransfersIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    @TempDir
    Path dir;

    private ParleyClient client(String name, Recorder events) throws Exception {
        ParleyClient c = clients.open(ParleyClient.Config.of("127.0.0.1", server.port())
                .trust(new FileTrustStore(dir.resolve(name + ".known")), TrustDecider.FIRST_USE).device("test"),
                events);
        get(c.register(name, "password-" + name, name));
        return c;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(120, TimeUnit.SECONDS);
    }

    @Test
    void chunksAndMessagesInterleaveSafely() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ParleyClient ann = client("ann", annEvents);
        ParleyClient bob = client("bob", bobEvents);
        long conversation = get(ann.openDirect("bob")).id();

        Path file = dir.resolve("big.bin");
        Random r = new Random(5);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 24; i++) {
                r.nextBytes(buf);
                out.write(buf);
            }
        }
        int messages = 300;

        // Up: ann's chunks go out while bob's messages come in to her and her own messages go out.
        var upload = new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of(""),
                FileTransfers.Progress.NONE);
        for (int i = 0; i < messages; i++) {
            bob.send(conversation, "to ann " + i);
            ann.send(conversation, "to bob " + i);
        }
        Transfers.UploadDone done = get(upload.result());

        // Down: bob's chunks come in while ann keeps writing to him.
        Path target = dir.resolve("down/big.bin");
        var download = new FileTransfers(bob).download(done.attachment(), target, FileTransfers.Progress.NONE);
        for (int i = 0; i < messages; i++) {
            ann.send(conversation, "while downloading " + i);
        }
        get(download.result());

        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
        Recorder.await("all of ann's messages at bob", () -> bobEvents.messages.stream()
                .filter(m -> m.kind() == Chat.Kind.TEXT).count() >= 2L * messages);
        Recorder.await("all of bob's messages at ann", () -> annEvents.messages.stream()
                .filter(m -> m.kind() == Chat.Kind.TEXT).count() >= messages);
        bobEvents.assertOrderedWithoutDuplicates();
        annEvents.assertOrderedWithoutDuplicates();
    }
}
