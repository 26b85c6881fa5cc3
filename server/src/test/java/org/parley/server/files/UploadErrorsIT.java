package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.storage.Storage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Bad uploads get a clear error, at once, and lose nothing: limits, authorization, malformed chunks, checksums. */
class UploadErrorsIT {

    private static final long MAX_FILE = 1_000_000;
    private static final long QUOTA = 1_500_000;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-file-bytes",
            String.valueOf(MAX_FILE), "--file-quota-bytes", String.valueOf(QUOTA));

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    private static Transfers.UploadStart start(long conversation, String id, SeededBytes content) {
        return Transfer.startRequest(conversation, id, "f.bin", "", content);
    }

    private static ErrorCode code(TestConnection c, Message request) {
        return c.error(request).code();
    }

    @Test
    void tooLargeAndOverQuotaAreRefusedAtStart() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        Session.ErrorReply tooLarge = ann.error(start(c, "big", new SeededBytes(1, MAX_FILE + 1)));
        assertThat(tooLarge.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(tooLarge.message()).contains(String.valueOf(MAX_FILE));

        Transfers.UploadReady first = ann.request(start(c, "first", new SeededBytes(2, 900_000)),
                Transfers.UploadReady.class);
        Session.ErrorReply over = ann.error(start(c, "second", new SeededBytes(3, 700_000)));
        assertThat(over.code()).as("the open upload counts").isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(over.message()).contains("600000");
        ann.request(start(c, "small", new SeededBytes(4, 600_000)), Transfers.UploadReady.class);

        ann.request(new Transfers.UploadCancel(first.uploadId()), Session.Ok.class);
        ann.request(start(c, "second", new SeededBytes(3, 700_000)), Transfers.UploadReady.class);
        assertThat(code(ann, start(c, "third", new SeededBytes(5, 300_000)))).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
    }

    @Test
    void finishedFilesCountAgainstTheQuota() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        Transfer.upload(ann, c, "one", "a", "", new SeededBytes(1, 700_000), "");
        Transfer.upload(ann, c, "two", "b", "", new SeededBytes(1, 700_000), ""); // same content: still counts
        assertThat(code(ann, start(c, "three", new SeededBytes(2, 100_001)))).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        ann.request(start(c, "three", new SeededBytes(2, 100_000)), Transfers.UploadReady.class);
    }

    @Test
    void aFileBiggerThanTheFreeDiskIsRefusedAtOnce() throws Exception {
        server.stop();
        server.with("--max-file-bytes", String.valueOf(Long.MAX_VALUE), "--file-quota-bytes",
                String.valueOf(Long.MAX_VALUE));
        server.restart();
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        // 4 EiB: no disk has that; the answer comes before any byte is sent, and nothing is kept.
        Transfers.UploadStart huge = new Transfers.UploadStart(c, "huge", "huge.bin", "", 1L << 62, "0".repeat(64),
                false);
        Session.ErrorReply full = ann.error(huge);
        assertThat(full.code()).isEqualTo(ErrorCode.STORAGE_FULL);
        assertThat(full.message()).contains("nothing was stored");
        Transfer.upload(ann, c, "fine", "fine.bin", "", new SeededBytes(1, 1000), "");
    }

    @Test
    void onlyMembersUploadAndAnUploadIdIsItsOwners() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection eve = server.register("eve");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(1, 1000);
        assertThat(code(eve, start(c, "x", content))).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(code(eve, start(987_654, "x", content))).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);

        Transfers.UploadReady ready = ann.request(start(c, "mine", content), Transfers.UploadReady.class);
        String id = ready.uploadId();
        for (TestConnection other : List.of(eve, bob)) {
            assertThat(code(other, new Transfers.UploadChunk(id, 0, content.all()))).isEqualTo(ErrorCode.UNKNOWN_FILE);
            assertThat(code(other, new Transfers.UploadFinish(id, "", 0, 0, 0, new byte[0])))
                    .isEqualTo(ErrorCode.UNKNOWN_FILE);
            assertThat(code(other, new Transfers.UploadCancel(id))).isEqualTo(ErrorCode.UNKNOWN_FILE);
        }
        for (String unknown : List.of("nope", "", "y".repeat(10_000))) {
            assertThat(code(ann, new Transfers.UploadChunk(unknown, 0, new byte[1]))).isEqualTo(ErrorCode.UNKNOWN_FILE);
        }
        // Bob starting with the same client upload id gets an upload of his own (in his conversation with ann).
        Transfers.UploadReady bobs = bob.request(start(c, "mine", content), Transfers.UploadReady.class);
        assertThat(bobs.uploadId()).isNotEqualTo(id);
        Transfer.send(ann, id, content, 0, content.size(), 1000);
        assertThat(Transfer.finish(ann, id, "").attachment().sha256()).isEqualTo(content.sha256());
    }

    @Test
    void badChunksAreRefusedAndTheUploadGoesOn() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(7, 600_000);
        Transfers.UploadReady ready = ann.request(start(c, "u", content), Transfers.UploadReady.class);
        String id = ready.uploadId();
        int chunk = ready.chunkBytes();

        Session.ErrorReply wrongOffset = ann.error(new Transfers.UploadChunk(id, 10, content.range(10, 100)));
        assertThat(wrongOffset.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(wrongOffset.message()).contains("expected offset 0");
        assertThat(code(ann, new Transfers.UploadChunk(id, 0, content.range(0, chunk + 1))))
                .as("larger than the announced chunk size").isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(ann, new Transfers.UploadChunk(id, 0, new byte[0]))).isEqualTo(ErrorCode.INVALID_ARGUMENT);

        Transfer.send(ann, id, content, 0, 500_000, chunk);
        Session.ErrorReply again = ann.error(new Transfers.UploadChunk(id, 0, content.range(0, 100)));
        assertThat(again.message()).as("a chunk sent twice").contains("expected offset 500000");
        Session.ErrorReply pastEnd = ann.error(new Transfers.UploadChunk(id, 500_000, content.range(500_000,
                100_000 + 1)));
        assertThat(pastEnd.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(pastEnd.message()).contains("past the declared size 600000");

        // A truncated body: an UploadChunk frame whose data claims more bytes than the frame holds.
        byte[] frame = WireCodec.encode(new Frame(4242, new Transfers.UploadChunk(id, 500_000,
                content.range(500_000, 1000))));
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 10);
        java.nio.ByteBuffer.wrap(cut).putInt(0, cut.length - 4);
        ann.sendRaw(cut);
        Session.ErrorReply malformed = ann.awaitPush(Session.ErrorReply.class);
        assertThat(malformed.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);

        Transfer.send(ann, id, content, 500_000, content.size(), chunk);
        assertThat(Transfer.finish(ann, id, "").attachment().sha256()).isEqualTo(content.sha256());
        assertThat(code(ann, new Transfers.UploadChunk(id, 600_000, new byte[1]))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(ann, new Transfers.UploadCancel(id))).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void aChecksumMismatchDiscardsTheUpload() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes declared = new SeededBytes(1, 300_000);
        SeededBytes sent = new SeededBytes(2, 300_000);
        Transfers.UploadReady ready = ann.request(start(c, "bad", declared), Transfers.UploadReady.class);
        Transfer.send(ann, ready.uploadId(), sent, 0, sent.size(), ready.chunkBytes());
        Session.ErrorReply mismatch = ann.error(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0,
                new byte[0]));
        assertThat(mismatch.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
        assertThat(mismatch.message()).contains(sent.sha256()).contains(declared.sha256());
        assertThat(code(ann, new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0, new byte[0])))
                .as("the upload is gone").isEqualTo(ErrorCode.UNKNOWN_FILE);
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).isEmpty();
        Transfers.UploadReady fresh = ann.request(start(c, "bad", declared), Transfers.UploadReady.class);
        assertThat(fresh.offset()).as("starting again starts from zero").isZero();
        assertThat(fresh.uploadId()).isNotEqualTo(ready.uploadId());

        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            assertThat(storage.files().storedBytes()).as("the wrong bytes are deleted").isZero();
        }
    }

    @Test
    void finishingEarlyKeepsTheUploadAndSaysWhereToGoOn() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(8, 100_000);
        Transfers.UploadReady ready = ann.request(start(c, "early", content), Transfers.UploadReady.class);
        Transfer.send(ann, ready.uploadId(), content, 0, 40_000, 20_000);
        Session.ErrorReply early = ann.error(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0, new byte[0]));
        assertThat(early.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(early.message()).contains("go on from offset 40000");
        Transfer.send(ann, ready.uploadId(), content, 40_000, content.size(), 20_000);
        assertThat(Transfer.finish(ann, ready.uploadId(), "").attachment().size()).isEqualTo(100_000);
    }

    @Test
    void startingAgainWithTheSameIdForAnotherFileIsAConflict() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        ann.request(start(c, "same", new SeededBytes(1, 1000)), Transfers.UploadReady.class);
        assertThat(code(ann, start(c, "same", new SeededBytes(2, 1000)))).isEqualTo(ErrorCode.CONFLICT);
        assertThat(code(ann, start(c, "same", new SeededBytes(1, 1001)))).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void anUploadIdUsedForAMessageIsRefusedBeforeAnyByteIsStored() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        ann.request(new Chat.Send(c, "taken", Kind.TEXT, "hello", List.of()), Chat.Sent.class);
        Session.ErrorReply taken = ann.error(start(c, "taken", new SeededBytes(1, 1000)));
        assertThat(taken.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(taken.message()).contains("taken");
        // Nothing was started, so nothing is charged: the whole quota is left.
        ann.request(start(c, "free", new SeededBytes(2, MAX_FILE)), Transfers.UploadReady.class);
    }

    @Test
    void aMemberRemovedDuringAnUploadCannotSendMoreChunks() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        TestConnection cat = server.register("cat");
        long g = ann.request(new Conversations.CreateGroup("g", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();
        SeededBytes content = new SeededBytes(1, 200_000);
        Transfers.UploadReady ready = cat.request(start(g, "up", content), Transfers.UploadReady.class);
        Transfer.send(cat, ready.uploadId(), content, 0, 100_000, 100_000);
        ann.request(new Conversations.RemoveMember(g, "cat"), Session.Ok.class);
        Session.ErrorReply refused = cat.error(new Transfers.UploadChunk(ready.uploadId(), 100_000,
                content.range(100_000, 100_000)));
        assertThat(refused.code()).isEqualTo(ErrorCode.NOT_A_MEMBER);
        assertThat(refused.message()).contains("nothing was stored");
    }

    @Test
    void fileNamesThatLieAreNeutralised() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        java.util.Map<String, String> shown = new java.util.LinkedHashMap<>();
        shown.put("invoice\u202egnp.exe", "invoicegnp.exe");
        shown.put("pay\u200bpal.pdf", "paypal.pdf");
        shown.put("CON", "_CON");
        shown.put("com1.txt", "_com1.txt");
        shown.put("a.txt:evil.exe", "a.txt_evil.exe");
        shown.put("x.exe.", "x.exe");
        shown.put("report .pdf  . ", "report .pdf");
        shown.put("\u2066\u2069\ufeff\u00adnotes.txt", "notes.txt");
        int i = 0;
        for (var e : shown.entrySet()) {
            String name = e.getKey().translateEscapes();
            SeededBytes content = new SeededBytes(10 + i, 10);
            Chat.Attachment a = Transfer.upload(ann, c, "n" + i++, name, "", content, "").attachment();
            assertThat(a.name()).as("%s", e.getKey()).isEqualTo(e.getValue());
            assertThat(bob.request(new Transfers.StatFile(a.fileId()), Transfers.FileInfo.class).attachment().name())
                    .isEqualTo(e.getValue());
        }
        // A name that is nothing but invisible characters is no name.
        assertThat(code(ann, new Transfers.UploadStart(c, "z", "\u200b\u202e".translateEscapes(), "", 1,
                "ab".repeat(32), false))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void badNamesTypesAndChecksumsAreRefused() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        String sha = "ab".repeat(32);
        List<Transfers.UploadStart> bad = List.of(
                new Transfers.UploadStart(c, "a", "", "", 1, sha, false),
                new Transfers.UploadStart(c, "b", "../etc/passwd", "", 1, sha, false),
                new Transfers.UploadStart(c, "c", "a\u0000b", "", 1, sha, false),
                new Transfers.UploadStart(c, "d", "x".repeat(256), "", 1, sha, false),
                new Transfers.UploadStart(c, "e", "ok.txt", "not a type", 1, sha, false),
                new Transfers.UploadStart(c, "f", "ok.txt", "", 1, "abc", false),
                new Transfers.UploadStart(c, "g", "ok.txt", "", -1, sha, false),
                new Transfers.UploadStart(c, "", "ok.txt", "", 1, sha, false),
                new Transfers.UploadStart(c, "h".repeat(65), "ok.txt", "", 1, sha, false));
        for (Transfers.UploadStart s : bad) {
            assertThat(code(ann, s)).as("%s", s).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        Transfers.UploadReady ok = ann.request(new Transfers.UploadStart(c, "ok", " résumé 2024.pdf ",
                "Application/PDF", 1, sha.toUpperCase(), false), Transfers.UploadReady.class);
        assertThat(ok.offset()).isZero();
    }

    @Test
    void attachmentsCannotBeForgedWithSend() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        Chat.Attachment forged = new Chat.Attachment("AAAAAAAAAAAAAAAAAAAAAA", "x", "image/png", 1, "0".repeat(64),
                1, 1, 0, new byte[0]);
        assertThat(code(ann, new Chat.Send(c, "f1", Kind.FILE, "", List.of(forged))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(ann, new Chat.Send(c, "f2", Kind.MEDIA, "hi", List.of()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(ann, new Chat.Send(c, "f3", Kind.TEXT, "hi", List.of(forged))))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).isEmpty();
    }

    @Test
    void aCaptionOverTheTextLimitIsRefusedAndTheUploadKept() throws Exception {
        server.stop();
        server.with("--max-message-bytes", "100");
        server.restart();
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(1, 10);
        Transfers.UploadReady ready = ann.request(start(c, "cap", content), Transfers.UploadReady.class);
        Transfer.send(ann, ready.uploadId(), content, 0, 10, 10);
        assertThat(code(ann, new Transfers.UploadFinish(ready.uploadId(), "x".repeat(101), 0, 0, 0, new byte[0])))
                .isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(Transfer.finish(ann, ready.uploadId(), "short").attachment().size()).isEqualTo(10);
    }

    @Test
    void cancelDeletesTheBytesAndAbandonedUploadsExpire() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(1, 900_000);
        Transfers.UploadReady cancelled = ann.request(start(c, "cancel-me", content), Transfers.UploadReady.class);
        Transfer.send(ann, cancelled.uploadId(), content, 0, 500_000, 100_000);
        ann.request(new Transfers.UploadCancel(cancelled.uploadId()), Session.Ok.class);
        assertThat(code(ann, new Transfers.UploadChunk(cancelled.uploadId(), 500_000, new byte[1])))
                .isEqualTo(ErrorCode.UNKNOWN_FILE);

        Transfers.UploadReady abandoned = ann.request(start(c, "abandon", content), Transfers.UploadReady.class);
        Transfer.send(ann, abandoned.uploadId(), content, 0, 300_000, 100_000);
        assertThat(code(ann, start(c, "more", new SeededBytes(2, 700_000)))).as("the abandoned upload still counts")
                .isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        server.server().files().sweep(System.currentTimeMillis() + 6 * 24 * 3600_000L);
        assertThat(ann.request(start(c, "abandon", content), Transfers.UploadReady.class).offset())
                .as("six days later it is still there").isEqualTo(300_000);
        server.server().files().sweep(System.currentTimeMillis() + 8 * 24 * 3600_000L);
        assertThat(code(ann, new Transfers.UploadChunk(abandoned.uploadId(), 300_000, new byte[1])))
                .isEqualTo(ErrorCode.UNKNOWN_FILE);
        ann.request(start(c, "more", new SeededBytes(2, 700_000)), Transfers.UploadReady.class);

        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            assertThat(storage.files().storedBytes()).isZero();
        }
    }

    @Test
    void aCaptionIsText() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        String caption = "naïve café ✓ 世界";
        Transfer.upload(ann, c, "u", "u.txt", "text/plain", new SeededBytes(1, 5), caption);
        Chat.ChatMessage m = bob.awaitPush(Chat.NewMessage.class).message();
        assertThat(m.text()).isEqualTo(caption);
    }
}
