package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.server.storage.Storage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Upload, post, download: round trips with the SHA-256 checked end to end, over real sockets and a real H2. */
class FileTransferIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension());

    /** The storage the server runs on: H2 here; {@link FileTransferOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    @Test
    void anEmptyAndASmallFileMakeTheRoundTripWithTheirSha() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        for (SeededBytes content : List.of(new SeededBytes(1, 0), new SeededBytes(2, 123_457),
                new SeededBytes(3, 3 * 262_144))) {
            String id = "up-" + content.size();
            Transfers.UploadReady ready = Transfer.start(ann, c, id, "data.bin", "application/octet-stream",
                    content);
            assertThat(ready.offset()).isZero();
            assertThat(ready.chunkBytes()).isEqualTo(256 * 1024);
            assertThat(ready.uploadId()).matches("[A-Za-z0-9_-]{22}");
            Transfer.send(ann, ready.uploadId(), content, 0, content.size(), ready.chunkBytes());
            Transfers.UploadDone done = Transfer.finish(ann, ready.uploadId(), "size " + content.size());

            Attachment a = done.attachment();
            assertThat(a.fileId()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(ready.uploadId());
            assertThat(a.name()).isEqualTo("data.bin");
            assertThat(a.mediaType()).isEqualTo("application/octet-stream");
            assertThat(a.size()).isEqualTo(content.size());
            assertThat(a.sha256()).isEqualTo(content.sha256());
            assertThat(a.thumbnail()).isEmpty();
            assertThat(done.sent().conversationId()).isEqualTo(c);
            assertThat(done.sent().clientMessageId()).isEqualTo(id);
            assertThat(done.sent().duplicate()).isFalse();

            Chat.ChatMessage pushed = bob.awaitPush(Chat.NewMessage.class).message();
            assertThat(pushed.kind()).isEqualTo(Kind.FILE);
            assertThat(pushed.seq()).isEqualTo(done.sent().seq());
            assertThat(pushed.text()).isEqualTo("size " + content.size());
            assertThat(pushed.sender()).isEqualTo("ann");
            assertThat(pushed.attachments()).singleElement().usingRecursiveComparison().isEqualTo(a);

            assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), 100_000)).isEqualTo(content.sha256());
            assertThat(Transfer.downloadSha(ann, a.fileId(), a.size(), 256 * 1024)).isEqualTo(content.sha256());
        }
    }

    @Test
    void historyAndPushesCarryTheAttachmentAndWhatOnlyClaimsToBeAPictureIsAPlainFile() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        ann.request(new Chat.Send(c, "t1", Kind.TEXT, "look", List.of()), Chat.Sent.class);
        SeededBytes photo = new SeededBytes(9, 5000);
        Transfers.UploadDone done = Transfer.upload(ann, c, "p1", "harbour.jpg", "image/jpeg", photo, "at dawn");
        assertThat(done.attachment().mediaType()).as("random bytes named .jpg are not shown as a picture")
                .isEqualTo("application/octet-stream");
        Transfer.upload(ann, c, "a1", "song.ogg", "Audio/Ogg; codecs=vorbis", new SeededBytes(10, 10), "");

        List<Chat.ChatMessage> page = bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages();
        assertThat(page).extracting(Chat.ChatMessage::kind).containsExactly(Kind.TEXT, Kind.FILE, Kind.MEDIA);
        assertThat(page.get(0).attachments()).isEmpty();
        assertThat(page.get(1).text()).isEqualTo("at dawn");
        assertThat(page.get(1).clientMessageId()).isEqualTo("p1");
        assertThat(page.get(1).attachments()).singleElement().usingRecursiveComparison()
                .isEqualTo(done.attachment());
        assertThat(page.get(2).attachments().get(0).mediaType()).isEqualTo("audio/ogg");
        assertThat(bob.request(new Chat.FetchBefore(c, 0, 1), Chat.MessagePage.class).messages().get(0)
                .attachments().get(0).name()).isEqualTo("song.ogg");

        Transfers.FileInfo info = bob.request(new Transfers.StatFile(done.attachment().fileId()),
                Transfers.FileInfo.class);
        assertThat(info.conversationId()).isEqualTo(c);
        assertThat(info.attachment()).usingRecursiveComparison().isEqualTo(done.attachment());
        Conversations.ConversationInfo seen = bob.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations().get(0);
        assertThat(seen.unread()).as("the files count as unread messages").isEqualTo(3);
    }

    @Test
    void finishingOrStartingAgainGivesTheFirstResult() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(4, 70_000);
        Transfers.UploadReady ready = Transfer.start(ann, c, "same", "a.txt", "text/plain", content);
        Transfer.send(ann, ready.uploadId(), content, 0, content.size(), 30_000);
        Transfers.UploadDone first = Transfer.finish(ann, ready.uploadId(), "once");
        Transfers.UploadDone second = Transfer.finish(ann, ready.uploadId(), "twice");
        assertThat(second.sent().duplicate()).isTrue();
        assertThat(second.sent().seq()).isEqualTo(first.sent().seq());
        assertThat(second.attachment()).usingRecursiveComparison().isEqualTo(first.attachment());

        Transfers.UploadReady again = Transfer.start(server.login("ann"), c, "same", "a.txt", "text/plain", content);
        assertThat(again.uploadId()).isEqualTo(ready.uploadId());
        assertThat(again.offset()).as("all bytes are there").isEqualTo(content.size());
        assertThat(ann.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).hasSize(1);
    }

    @Test
    void anOfflineMemberGetsTheFileOnNextLogin() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        bob.close();
        SeededBytes content = new SeededBytes(5, 600_000);
        Transfers.UploadDone done = Transfer.upload(ann, c, "while-away", "report.pdf", "application/pdf", content,
                "the report");

        TestConnection back = server.login("bob");
        Conversations.ConversationInfo info = back.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations().get(0);
        assertThat(info.unread()).isEqualTo(1);
        Chat.ChatMessage m = back.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages().get(0);
        assertThat(m.kind()).isEqualTo(Kind.FILE);
        assertThat(m.attachments()).singleElement().usingRecursiveComparison().isEqualTo(done.attachment());
        assertThat(Transfer.downloadSha(back, m.attachments().get(0).fileId(), content.size(), 256 * 1024))
                .isEqualTo(content.sha256());
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        server.register("cat");
        long annBob = direct(ann, "bob");
        long bobCat = direct(bob, "cat");
        SeededBytes content = new SeededBytes(6, 1_000_000);
        Attachment a1 = Transfer.upload(ann, annBob, "x1", "one.bin", "", content, "").attachment();
        Attachment a2 = Transfer.upload(ann, annBob, "x2", "again.bin", "", content, "").attachment();
        Attachment a3 = Transfer.upload(bob, bobCat, "x1", "other.bin", "", content, "").attachment();
        assertThat(List.of(a1.fileId(), a2.fileId(), a3.fileId())).doesNotHaveDuplicates();
        assertThat(a3.sha256()).isEqualTo(a1.sha256());
        server.server().files().awaitPurge();

        server.stop();
        try (Storage storage = server.openStorage()) {
            FileStore files = storage.files();
            long blob = files.file(a1.fileId()).orElseThrow().blobId();
            assertThat(files.file(a2.fileId()).orElseThrow().blobId()).isEqualTo(blob);
            assertThat(files.file(a3.fileId()).orElseThrow().blobId()).isEqualTo(blob);
            assertThat(files.storedBytes()).as("one copy of the content").isEqualTo(content.size());
        }
    }

    @Test
    void downloadsAreForMembersOfTheFilesConversationOnly() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        TestConnection eve = server.register("eve");
        long c = direct(ann, "bob");
        Attachment a = Transfer.upload(ann, c, "secret", "plans.txt", "text/plain", new SeededBytes(7, 1000), "")
                .attachment();
        assertThat(eve.error(new Transfers.FetchChunk(a.fileId(), 0, 100)).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(eve.error(new Transfers.StatFile(a.fileId())).code()).isEqualTo(ErrorCode.FORBIDDEN);
        for (String unknown : List.of("AAAAAAAAAAAAAAAAAAAAAA", "", "x".repeat(5000))) {
            assertThat(ann.error(new Transfers.FetchChunk(unknown, 0, 100)).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
            assertThat(ann.error(new Transfers.StatFile(unknown)).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
        }
        assertThat(eve.error(new Transfers.FetchChunk(a.fileId(), 0, 100)).message()).doesNotContain("plans");
    }

    @Test
    void fetchChunkIsCappedAndChecked() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(8, 700_000);
        Attachment a = Transfer.upload(ann, c, "big", "b.bin", "", content, "").attachment();
        Transfers.FileChunk capped = ann.request(new Transfers.FetchChunk(a.fileId(), 10, Integer.MAX_VALUE),
                Transfers.FileChunk.class);
        assertThat(capped.data()).hasSize(256 * 1024).isEqualTo(content.range(10, 256 * 1024));
        Transfers.FileChunk tail = ann.request(new Transfers.FetchChunk(a.fileId(), 699_990, 100),
                Transfers.FileChunk.class);
        assertThat(tail.data()).isEqualTo(content.range(699_990, 10));
        assertThat(ann.request(new Transfers.FetchChunk(a.fileId(), 700_000, 100), Transfers.FileChunk.class).data())
                .as("at the end: nothing more").isEmpty();
        assertThat(ann.error(new Transfers.FetchChunk(a.fileId(), 700_001, 100)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Transfers.FetchChunk(a.fileId(), -1, 100)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Transfers.FetchChunk(a.fileId(), 0, 0)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aFileMessageSurvivesARestart() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(11, 300_000);
        Attachment a = Transfer.upload(ann, c, "kept", "k.bin", "", content, "kept").attachment();
        server.restart();
        TestConnection bob = server.login("bob");
        Chat.ChatMessage m = bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages().get(0);
        assertThat(m.attachments()).singleElement().usingRecursiveComparison().isEqualTo(a);
        assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), 65_536)).isEqualTo(content.sha256());
    }

    @Test
    void aSmallFrameLimitMakesSmallerChunks() throws Exception {
        server.stop();
        server.with("--max-frame-bytes", "16384", "--max-message-bytes", "4000");
        server.restart();
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(12, 100_000);
        Transfers.UploadReady ready = Transfer.start(ann, c, "small", "s.bin", "", content);
        assertThat(ready.chunkBytes()).isLessThan(16384).isGreaterThan(16000);
        assertThat(ann.error(new Transfers.UploadChunk(ready.uploadId(), 0, content.range(0, ready.chunkBytes()
                + 1))).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Transfer.send(ann, ready.uploadId(), content, 0, content.size(), ready.chunkBytes());
        Attachment a = Transfer.finish(ann, ready.uploadId(), "").attachment();
        Transfers.FileChunk capped = bob.request(new Transfers.FetchChunk(a.fileId(), 0, 1 << 20),
                Transfers.FileChunk.class);
        assertThat(capped.data()).as("fits a frame").hasSize(ready.chunkBytes());
        assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), ready.chunkBytes())).isEqualTo(content.sha256());
    }
    /**
     * file-block-kib (#17): where content is kept in the database (PostgreSQL), by default a chunk is stored as one
     * block as it came; with smaller blocks each chunk is split. Either way, and with both kinds in one database,
     * every file comes back intact, from any offset. With H2 the content is a file per blob in the data directory
     * (the setting does not apply to it): nothing in the table, each file holding exactly the bytes.
     */
    @Test
    void chunksAreStoredAsOneBlockOrSplitAsTheBlockSettingSaysAndReadBackIntactEitherWay() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes large = new SeededBytes(13, 5L * 256 * 1024 + 99);
        Attachment one = Transfer.upload(ann, c, "large-blocks", "l.bin", "", large, "").attachment();
        server.stop();
        server.with("--file-block-kib", "16");
        server.restart();
        ann = server.login("ann");
        SeededBytes small = new SeededBytes(14, 3L * 256 * 1024 + 5);
        Attachment split = Transfer.upload(ann, c, "small-blocks", "s.bin", "", small, "").attachment();
        TestConnection bob = server.login("bob");
        for (var file : List.of(java.util.Map.entry(one, large), java.util.Map.entry(split, small))) {
            Attachment a = file.getKey();
            assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), 256 * 1024)).isEqualTo(file.getValue()
                    .sha256());
            long inside = 256 * 1024 + 16_000; // inside a stored chunk, and inside a 16 KiB block
            assertThat(bob.request(new Transfers.FetchChunk(a.fileId(), inside, 70_000), Transfers.FileChunk.class)
                    .data()).isEqualTo(file.getValue().range(inside, 70_000));
        }
        server.stop();
        try (var storage = server.openStorage()) {
            if (storage.fileContent() instanceof org.parley.server.storage.jdbc.DiskBlobs disk) {
                assertThat(storage.jdbc().queryOne("SELECT COUNT(*) FROM blob_blocks", ps -> {
                }, rs -> rs.getLong(1)).orElseThrow()).as("no content in the database").isZero();
                for (var file : List.of(java.util.Map.entry(one, large), java.util.Map.entry(split, small))) {
                    long blob = storage.files().file(file.getKey().fileId()).orElseThrow().blobId();
                    assertThat(java.nio.file.Files.size(disk.path(blob))).isEqualTo(file.getValue().size());
                }
                return;
            }
            java.util.Map<Integer, Integer> sizes = new java.util.HashMap<>();
            storage.jdbc().query("SELECT OCTET_LENGTH(data), COUNT(*) FROM blob_blocks GROUP BY OCTET_LENGTH(data)",
                    ps -> {
                    }, rs -> sizes.put(rs.getInt(1), rs.getInt(2)));
            assertThat(sizes.get(256 * 1024)).as("the first file's whole chunks, one block each").isEqualTo(5);
            assertThat(sizes.get(16 * 1024)).as("the second file's chunks, split").isEqualTo(3 * 16);
        }
    }
}
