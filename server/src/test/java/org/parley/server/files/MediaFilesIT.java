package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.storage.Storage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * How the files feature uses the media pipeline ({@link TestPictures} stands in for the real one): the stripped
 * copy is what is shared and hashed, a bad picture is refused and not stored, a video's poster becomes its
 * thumbnail, and thumbnails never push a history page over the frame limit.
 */
class MediaFilesIT {

    private static final int THUMBNAIL = 60_000;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().media(new TestPictures(THUMBNAIL))
            .with("--requests-per-second", "100000", "--request-burst", "100000");

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    /** Uploads small in-memory bytes (not finished yet). */
    private static Transfers.UploadReady upload(TestConnection c, long conversation, String id, String type,
            byte[] data, boolean keepMetadata) {
        Transfers.UploadReady ready = c.request(new Transfers.UploadStart(conversation, id, id + ".pic", type,
                data.length, SeededBytes.sha256(data), keepMetadata), Transfers.UploadReady.class);
        for (int at = 0; at < data.length; at += ready.chunkBytes()) {
            c.request(new Transfers.UploadChunk(ready.uploadId(), at, java.util.Arrays.copyOfRange(data, at,
                    Math.min(data.length, at + ready.chunkBytes()))), Session.Ok.class);
        }
        return ready;
    }

    private static byte[] download(TestConnection c, Attachment a) {
        byte[] out = new byte[(int) a.size()];
        for (int at = 0; at < out.length;) {
            byte[] d = c.request(new Transfers.FetchChunk(a.fileId(), at, 256 * 1024), Transfers.FileChunk.class)
                    .data();
            System.arraycopy(d, 0, out, at, d.length);
            at += d.length;
        }
        return out;
    }

    @Test
    void aPictureIsSharedWithoutItsMetadataUnlessAskedTo() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] photo = TestPictures.picture("GPS 59.91N 10.75E", new SeededBytes(1, 300_000).all());
        byte[] stripped = TestPictures.withoutMetadata(photo);

        Transfers.UploadReady ready = upload(ann, c, "p1", "image/jpeg", photo, false);
        Transfers.UploadDone done = Transfer.finish(ann, ready.uploadId(), "harbour");
        Attachment a = done.attachment();
        assertThat(a.mediaType()).as("sniffed, not declared").isEqualTo("image/png");
        assertThat(a.width()).isEqualTo(640);
        assertThat(a.height()).isEqualTo(480);
        assertThat(a.thumbnail()).hasSize(THUMBNAIL);
        assertThat(a.size()).isEqualTo(stripped.length);
        assertThat(a.sha256()).as("the hash of what members download").isEqualTo(SeededBytes.sha256(stripped));
        assertThat(download(bob, a)).isEqualTo(stripped);
        Chat.ChatMessage pushed = bob.awaitPush(Chat.NewMessage.class).message();
        assertThat(pushed.kind()).isEqualTo(Kind.MEDIA);
        assertThat(pushed.attachments().get(0).thumbnail()).hasSize(THUMBNAIL);
        assertThat(Transfer.finish(ann, ready.uploadId(), "harbour").attachment()).as("finishing again")
                .usingRecursiveComparison().isEqualTo(a);

        Transfers.UploadReady kept = upload(ann, c, "p2", "image/jpeg", photo, true);
        Attachment original = Transfer.finish(ann, kept.uploadId(), "").attachment();
        assertThat(original.sha256()).isEqualTo(SeededBytes.sha256(photo));
        assertThat(download(bob, original)).isEqualTo(photo);

        // Another photo whose stripped copy is the same picture: stored once.
        byte[] sameWithOtherMetadata = TestPictures.picture("taken by bob", new SeededBytes(1, 300_000).all());
        Transfers.UploadReady third = upload(bob, c, "p3", "image/jpeg", sameWithOtherMetadata, false);
        Attachment same = Transfer.finish(bob, third.uploadId(), "").attachment();
        assertThat(same.sha256()).isEqualTo(a.sha256());
        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            FileStore files = storage.files();
            assertThat(files.file(same.fileId()).orElseThrow().blobId())
                    .isEqualTo(files.file(a.fileId()).orElseThrow().blobId());
            assertThat(files.storedBytes()).as("the stripped copy once, the original kept once")
                    .isEqualTo(stripped.length + photo.length);
        }
    }

    @Test
    void aBadPictureIsRefusedAndNotStored() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] garbage = "this is no picture".getBytes(StandardCharsets.US_ASCII);
        Transfers.UploadReady ready = upload(ann, c, "bad", "image/jpeg", garbage, false);
        Session.ErrorReply e = ann.error(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0, new byte[0]));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(e.message()).contains("not a picture");
        assertThat(ann.error(new Transfers.UploadChunk(ready.uploadId(), 0, garbage)).code())
                .as("discarded").isEqualTo(ErrorCode.UNKNOWN_FILE);
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).isEmpty();

        Transfers.UploadReady plain = upload(ann, c, "plain", "text/plain", garbage, false);
        assertThat(Transfer.finish(ann, plain.uploadId(), "").attachment().mediaType()).isEqualTo("text/plain");
        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            assertThat(storage.files().storedBytes()).as("only the text file").isEqualTo(garbage.length);
        }
    }

    @Test
    void aVideoGetsItsPosterAsThumbnailAndItsDimensions() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] video = new SeededBytes(5, 100_000).all();
        Transfers.UploadReady ready = upload(ann, c, "clip", "video/mp4", video, false);
        Session.ErrorReply badPoster = ann.error(new Transfers.UploadFinish(ready.uploadId(), "clip", 1920, 1080,
                12_345, "not a picture".getBytes(StandardCharsets.US_ASCII)));
        assertThat(badPoster.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(ann.error(new Transfers.UploadFinish(ready.uploadId(), "", -1, 0, 0, new byte[0])).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);

        byte[] poster = TestPictures.picture("", new byte[] {1, 2, 3});
        Attachment a = ann.request(new Transfers.UploadFinish(ready.uploadId(), "clip", 1920, 1080, 12_345, poster),
                Transfers.UploadDone.class).attachment();
        assertThat(a.mediaType()).isEqualTo("video/mp4");
        assertThat(a.width()).isEqualTo(1920);
        assertThat(a.height()).isEqualTo(1080);
        assertThat(a.durationMillis()).isEqualTo(12_345);
        assertThat(new String(a.thumbnail(), StandardCharsets.US_ASCII)).isEqualTo("poster-thumbnail");
        assertThat(a.sha256()).isEqualTo(SeededBytes.sha256(video));
        assertThat(bob.awaitPush(Chat.NewMessage.class).message().kind()).isEqualTo(Kind.MEDIA);
    }

    @Test
    void historyPagesWithThumbnailsStayUnderTheFrameLimit() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        int pictures = 40; // 40 × 60 kB of thumbnails: more than a 1 MiB frame
        for (int i = 0; i < pictures; i++) {
            byte[] photo = TestPictures.picture("", new SeededBytes(100 + i, 2000).all());
            Transfer.finish(ann, upload(ann, c, "p" + i, "image/png", photo, false).uploadId(), "#" + i);
            ann.request(new Chat.Send(c, "t" + i, Kind.TEXT, "after #" + i, List.of()), Chat.Sent.class);
        }
        List<Chat.ChatMessage> forward = new ArrayList<>();
        long after = 0;
        int pages = 0;
        while (true) {
            Chat.MessagePage page = bob.request(new Chat.FetchAfter(c, after, 500), Chat.MessagePage.class);
            pages++;
            forward.addAll(page.messages());
            after = page.messages().get(page.messages().size() - 1).seq();
            if (!page.more()) {
                break;
            }
        }
        assertThat(pages).as("cut by size").isGreaterThan(1);
        assertThat(forward).extracting(Chat.ChatMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 2L * pictures).boxed().toList());
        assertThat(forward).filteredOn(m -> m.kind() == Kind.MEDIA).allSatisfy(m -> assertThat(m.attachments()
                .get(0).thumbnail()).hasSize(THUMBNAIL));

        Chat.MessagePage newest = bob.request(new Chat.FetchBefore(c, 0, 500), Chat.MessagePage.class);
        assertThat(newest.more()).isTrue();
        assertThat(newest.messages().get(newest.messages().size() - 1).seq()).as("the newest are kept")
                .isEqualTo(2L * pictures);
    }

    @Test
    void aThumbnailTooLargeForAMessageIsLeftOut() throws Exception {
        server.stop();
        server.media(new TestPictures(200_000));
        server.restart();
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        byte[] photo = TestPictures.picture("", new byte[] {1});
        Attachment a = Transfer.finish(ann, upload(ann, c, "big-thumb", "image/png", photo, false).uploadId(), "")
                .attachment();
        assertThat(a.width()).isEqualTo(640);
        assertThat(a.thumbnail()).isEmpty();
    }
}
