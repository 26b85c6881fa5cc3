package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;

/**
 * A server whose frames are smaller than the client's download chunks ({@code max-frame-bytes} 64 KiB): it answers
 * each {@code FetchChunk} with less than was asked, and the client, which asks several chunks ahead, goes on in the
 * server's size instead of failing on the next chunk's offset.
 */
class SmallFramesFileTransfersIT {

    private static final int FRAME = 64 * 1024;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--max-frame-bytes", String.valueOf(FRAME), "--max-message-bytes",
            "16384");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    @TempDir
    Path dir;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aDownloadGoesOnInTheServersSmallerChunks() throws Exception {
        ParleyClient ann = clients.open();
        ParleyClient bob = clients.open();
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        long conversation = get(ann.openDirect("bob")).id();

        Path file = dir.resolve("big.bin");
        byte[] bytes = new byte[1_000_003]; // several of the client's 256 KiB chunks, none of the server's whole
        new Random(7).nextBytes(bytes);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
        Transfers.UploadDone done = get(new FileTransfers(ann).upload(conversation, file,
                FileTransfers.UploadOptions.of("application/octet-stream"), FileTransfers.Progress.NONE).result());

        Path target = dir.resolve("down/big.bin");
        List<Long> progress = new CopyOnWriteArrayList<>();
        get(new FileTransfers(bob).download(done.attachment(), target, (d, total, hashing) -> progress.add(d))
                .result());
        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
        assertThat(progress).as("chunks smaller than a frame, in order").isSorted().last().isEqualTo(1_000_003L);
        assertThat(progress.get(0)).isLessThan(FRAME);
    }
}
