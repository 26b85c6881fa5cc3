package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;

/** Uploads and downloads through the client core against a real server: progress, resume, integrity, refusals. */
class FileTransfersIT {

    private static final long MAX_FILE = 64L << 20;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--max-file-bytes", String.valueOf(MAX_FILE));

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    @TempDir
    Path dir;

    private ParleyClient ann;
    private ParleyClient bob;
    private final Recorder annEvents = new Recorder();
    private final Recorder bobEvents = new Recorder();
    private long conversation;

    @BeforeEach
    void twoUsersInAConversation() throws Exception {
        ann = clients.open(annEvents);
        bob = clients.open(bobEvents);
        get(ann.register("ann", "password-ann", "Ann"));
        get(bob.register("bob", "password-bob", "Bob"));
        conversation = get(ann.openDirect("bob")).id();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        Path p = dir.resolve(name);
        Random r = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return p;
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private Chat.Attachment receivedAttachment() {
        Recorder.await("a file message", () -> bobEvents.messages.stream().anyMatch(m -> !m.attachments().isEmpty()));
        return bobEvents.messages.stream().filter(m -> !m.attachments().isEmpty()).findFirst().orElseThrow()
                .attachments().get(0);
    }

    @Test
    void aFileGoesUpIsAnnouncedAndComesDownIdentical() throws Exception {
        Path file = randomFile("report.bin", 3_000_000, 1);
        List<Long> progress = new CopyOnWriteArrayList<>();
        Transfers.UploadDone done = get(new FileTransfers(ann).upload(conversation, file,
                FileTransfers.UploadOptions.of("application/octet-stream").caption("the report"),
                (d, total, hashing) -> {
                    if (!hashing) {
                        progress.add(d);
                    }
                }).result());

        assertThat(done.attachment().sha256()).isEqualTo(sha256(file));
        assertThat(done.attachment().size()).isEqualTo(3_000_000);
        assertThat(done.attachment().name()).isEqualTo("report.bin");
        assertThat(progress).isSorted().last().isEqualTo(3_000_000L);
        Recorder.await("ann's own file message", () -> annEvents.sent.stream().anyMatch(
                m -> m.attachments().size() == 1 && m.kind() == Chat.Kind.FILE && m.text().equals("the report")));

        Chat.Attachment a = receivedAttachment();
        assertThat(a.fileId()).isEqualTo(done.attachment().fileId());
        Path target = dir.resolve("down/report.bin");
        assertThat(get(new FileTransfers(bob).download(a, target, FileTransfers.Progress.NONE).result()))
                .isEqualTo(target);
        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
        assertThat(target.resolveSibling("report.bin.part")).doesNotExist();
    }

    @Test
    void anEmptyFileTravelsToo() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.txt"));
        get(new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of("text/plain"),
                FileTransfers.Progress.NONE).result());
        Path target = dir.resolve("empty-down.txt");
        get(new FileTransfers(bob).download(receivedAttachment(), target, FileTransfers.Progress.NONE).result());
        assertThat(target).exists().isEmptyFile();
    }

    @Test
    void anUploadGoesOnAfterTheConnectionDrops() throws Exception {
        Path file = randomFile("big.bin", 24_000_000, 2);
        AtomicBoolean dropped = new AtomicBoolean();
        Transfers.UploadDone done = get(new FileTransfers(ann).upload(conversation, file,
                FileTransfers.UploadOptions.of(""), (d, total, hashing) -> {
                    if (!hashing && d > 6_000_000 && dropped.compareAndSet(false, true)) {
                        ann.dropConnection();
                    }
                }).result());
        assertThat(dropped).isTrue();
        assertThat(annEvents.states).contains(ConnectionState.RECONNECTING);
        assertThat(done.attachment().sha256()).isEqualTo(sha256(file));
        assertThat(done.sent().duplicate()).isFalse();

        Path target = dir.resolve("big-down.bin");
        get(new FileTransfers(bob).download(receivedAttachment(), target, FileTransfers.Progress.NONE).result());
        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
        assertThat(bobEvents.messages.stream().filter(m -> !m.attachments().isEmpty())).hasSize(1);
    }

    @Test
    void aDownloadGoesOnAfterTheConnectionDropsAndResumesAPartialCopy() throws Exception {
        Path file = randomFile("movie.bin", 20_000_000, 3);
        get(new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of(""),
                FileTransfers.Progress.NONE).result());
        Chat.Attachment a = receivedAttachment();

        // a partial copy from an earlier attempt: the download starts where it ends
        Path target = dir.resolve("movie-down.bin");
        Files.write(target.resolveSibling("movie-down.bin.part"), java.util.Arrays.copyOf(Files.readAllBytes(file),
                5_000_000));
        List<Long> progress = new CopyOnWriteArrayList<>();
        AtomicBoolean dropped = new AtomicBoolean();
        get(new FileTransfers(bob).download(a, target, (d, total, hashing) -> {
            progress.add(d);
            if (d > 10_000_000 && dropped.compareAndSet(false, true)) {
                bob.dropConnection();
            }
        }).result());
        assertThat(progress.get(0)).isEqualTo(5_000_000L);
        assertThat(dropped).isTrue();
        assertThat(bobEvents.states).contains(ConnectionState.RECONNECTING);
        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
    }

    @Test
    void aCorruptPartialCopyIsCaughtByTheChecksumAndTheNextTryWorks() throws Exception {
        Path file = randomFile("data.bin", 1_000_000, 4);
        get(new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of(""),
                FileTransfers.Progress.NONE).result());
        Chat.Attachment a = receivedAttachment();
        Path target = dir.resolve("data-down.bin");
        Files.write(target.resolveSibling("data-down.bin.part"), new byte[300_000]); // zeros, not the file's bytes

        assertThatThrownBy(() -> get(new FileTransfers(bob).download(a, target, FileTransfers.Progress.NONE)
                .result())).hasCauseInstanceOf(ParleyClientException.class).cause()
                .satisfies(e -> assertThat(((ParleyClientException) e).code()).isEqualTo(
                        ErrorCode.CHECKSUM_MISMATCH));
        assertThat(target).doesNotExist();

        get(new FileTransfers(bob).download(a, target, FileTransfers.Progress.NONE).result());
        assertThat(Files.mismatch(file, target)).isEqualTo(-1L);
    }

    @Test
    void aFileOverTheServersLimitIsRefusedBeforeItsBytesAreSent() throws Exception {
        Path file = dir.resolve("huge.bin");
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(MAX_FILE + 1); // sparse: no bytes written
        }
        List<Long> sentBytes = new CopyOnWriteArrayList<>();
        var upload = new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of(""),
                (d, total, hashing) -> {
                    if (!hashing) {
                        sentBytes.add(d);
                    }
                });
        assertThatThrownBy(() -> get(upload.result())).cause().isInstanceOf(ParleyClientException.class)
                .satisfies(e -> assertThat(((ParleyClientException) e).code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(sentBytes).isEmpty();
    }

    @Test
    void onlyMembersMayDownload() throws Exception {
        Path file = randomFile("secret.bin", 10_000, 5);
        Transfers.UploadDone done = get(new FileTransfers(ann).upload(conversation, file,
                FileTransfers.UploadOptions.of(""), FileTransfers.Progress.NONE).result());
        ParleyClient eve = clients.open(new Recorder());
        get(eve.register("eve", "password-eve", "Eve"));
        assertThatThrownBy(() -> get(new FileTransfers(eve).download(done.attachment(), dir.resolve("stolen"),
                FileTransfers.Progress.NONE).result())).cause().isInstanceOf(ParleyClientException.class)
                .satisfies(e -> assertThat(((ParleyClientException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(dir.resolve("stolen")).doesNotExist();
    }

    @Test
    void aCancelledUploadStopsAndPostsNothing() throws Exception {
        Path file = randomFile("cancel.bin", 30_000_000, 6);
        AtomicBoolean cancelled = new AtomicBoolean();
        var holder = new java.util.concurrent.atomic.AtomicReference<FileTransfers.Transfer<?>>();
        holder.set(new FileTransfers(ann).upload(conversation, file, FileTransfers.UploadOptions.of(""),
                (d, total, hashing) -> {
                    if (!hashing && d > 2_000_000 && cancelled.compareAndSet(false, true)) {
                        Recorder.await("the transfer", () -> holder.get() != null);
                        holder.get().cancel();
                    }
                }));
        assertThatThrownBy(() -> holder.get().result().get(60, TimeUnit.SECONDS))
                .isInstanceOfAny(CancellationException.class, ExecutionException.class);
        assertThat(holder.get().isCancelled()).isTrue();
        get(ann.send(conversation, "after the cancel"));
        bobEvents.awaitTexts(conversation, 1);
        assertThat(bobEvents.messages).allMatch(m -> m.attachments().isEmpty());
    }
}
