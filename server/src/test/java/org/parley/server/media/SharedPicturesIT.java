package org.parley.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import javax.imageio.ImageIO;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Pictures and videos through the whole server (wire, file service, media pipeline, storage): what a member
 * downloads has no location but keeps its orientation, the message carries a thumbnail, bombs and broken posters
 * are refused without harm.
 */
class SharedPicturesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    private static Transfers.UploadReady start(TestConnection c, long conversation, String id, String name,
            String type, byte[] bytes, boolean keepMetadata) throws Exception {
        Transfers.UploadReady ready = c.request(new Transfers.UploadStart(conversation, id, name, type, bytes.length,
                sha256(bytes), keepMetadata), Transfers.UploadReady.class);
        for (int at = 0; at < bytes.length; at += ready.chunkBytes()) {
            int n = Math.min(ready.chunkBytes(), bytes.length - at);
            c.request(new Transfers.UploadChunk(ready.uploadId(), at, java.util.Arrays.copyOfRange(bytes, at,
                    at + n)), org.parley.protocol.message.Session.Ok.class);
        }
        return ready;
    }

    private static byte[] download(TestConnection c, Chat.Attachment a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < a.size()) {
            Transfers.FileChunk chunk = c.request(new Transfers.FetchChunk(a.fileId(), out.size(), 256 * 1024),
                    Transfers.FileChunk.class);
            out.writeBytes(chunk.data());
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void aPhotoIsSharedWithoutItsLocationButWithItsOrientationAndAThumbnail() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] photo = MediaSamples.jpegWithMetadata(MediaSamples.jpeg(1200, 800), 6);
        assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(photo))
                .getFirstDirectoryOfType(GpsDirectory.class)).as("the sample has a location").isNotNull();

        Transfers.UploadReady ready = start(ann, c, "p1", "IMG_0001.jpg", "image/jpeg", photo, false);
        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(ready.uploadId(), "the harbour", 0, 0, 0,
                new byte[0]), Transfers.UploadDone.class);

        Chat.ChatMessage pushed = bob.awaitPush(Chat.NewMessage.class).message();
        assertThat(pushed.kind()).isEqualTo(Chat.Kind.MEDIA);
        Chat.Attachment a = pushed.attachments().get(0);
        assertThat(a).usingRecursiveComparison().isEqualTo(done.attachment());
        assertThat(a.mediaType()).isEqualTo("image/jpeg");
        assertThat(a.width()).as("as displayed: turned by the orientation").isEqualTo(800);
        assertThat(a.height()).isEqualTo(1200);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(a.thumbnail()));
        assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isLessThanOrEqualTo(MediaPipeline.THUMBNAIL_EDGE);
        assertThat(thumb.getHeight()).as("the thumbnail is upright (portrait)").isGreaterThan(thumb.getWidth());

        byte[] shared = download(bob, a);
        assertThat(sha256(shared)).isEqualTo(a.sha256()).isNotEqualTo(sha256(photo));
        Metadata m = ImageMetadataReader.readMetadata(new ByteArrayInputStream(shared));
        assertThat(m.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
        assertThat(m.getFirstDirectoryOfType(ExifIFD0Directory.class).getInt(ExifIFD0Directory.TAG_ORIENTATION))
                .isEqualTo(6);
        for (String secret : List.of("48,51.48N", "Paris", "taken at home")) {
            assertThat(contains(shared, secret)).as(secret).isFalse();
        }
    }

    @Test
    void theSenderMayKeepThePhotosMetadata() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] photo = MediaSamples.jpegWithMetadata(MediaSamples.jpeg(300, 200), 1);
        Transfers.UploadReady ready = start(ann, c, "p2", "as-is.jpg", "image/jpeg", photo, true);
        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0,
                new byte[0]), Transfers.UploadDone.class);
        assertThat(done.attachment().sha256()).isEqualTo(sha256(photo));
        assertThat(download(bob, done.attachment())).isEqualTo(photo);
    }

    @Test
    void aDecompressionBombIsRefusedAndTheServerCarriesOn() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] bomb = MediaSamples.pngBomb(100_000, 100_000);
        Transfers.UploadReady ready = start(ann, c, "b1", "cute.png", "image/png", bomb, false);
        var error = ann.error(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0, new byte[0]));
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(error.message()).contains("100000");

        ann.request(new Chat.Send(c, "after", Chat.Kind.TEXT, "still here", List.of()), Chat.Sent.class);
        assertThat(bob.awaitPush(Chat.NewMessage.class).message().text()).isEqualTo("still here");
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages())
                .as("nothing was posted for the bomb").extracting(Chat.ChatMessage::text).containsExactly("still here");
    }

    @Test
    void progressiveJpegBombsAndGifAnimationBombsAreRefusedAsPicturesAndAsPosters() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        byte[] scans = MediaSamples.progressiveJpeg(800, 600, 3000);
        Transfers.UploadReady picture = start(ann, c, "p1", "scans.jpg", "image/jpeg", scans, false);
        var error = ann.error(new Transfers.UploadFinish(picture.uploadId(), "", 0, 0, 0, new byte[0]));
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(error.message()).contains("scans");

        byte[] video = "a video".getBytes(StandardCharsets.UTF_8);
        Transfers.UploadReady clip = start(ann, c, "v1", "clip.mp4", "video/mp4", video, false);
        error = ann.error(new Transfers.UploadFinish(clip.uploadId(), "", 640, 360, 1000, scans));
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(error.message()).contains("poster").contains("scans");

        int[] frames = new int[200];
        java.util.Arrays.fill(frames, 1);
        byte[] gif = MediaSamples.craftedGif(8000, 8000, frames);
        Transfers.UploadReady animation = start(ann, c, "g1", "tiny.gif", "image/gif", gif, false);
        error = ann.error(new Transfers.UploadFinish(animation.uploadId(), "", 0, 0, 0, new byte[0]));
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MEDIA);
        assertThat(error.message()).contains("frames");

        // Bob's picture is finished as usual meanwhile.
        byte[] photo = MediaSamples.jpeg(640, 480);
        Transfers.UploadReady fine = start(bob, c, "b1", "fine.jpg", "image/jpeg", photo, false);
        assertThat(bob.request(new Transfers.UploadFinish(fine.uploadId(), "", 0, 0, 0, new byte[0]),
                Transfers.UploadDone.class).attachment().width()).isEqualTo(640);
    }

    @Test
    void aVideoTakesItsPosterSizeAndDurationFromTheSender() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        byte[] video = "not really a video, but the server does not decode video".getBytes(StandardCharsets.UTF_8);
        byte[] poster = MediaSamples.jpeg(640, 360);
        Transfers.UploadReady ready = start(ann, c, "v1", "clip.mp4", "video/mp4", video, false);
        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(ready.uploadId(), "", 1280, 720, 12_500,
                poster), Transfers.UploadDone.class);
        Chat.Attachment a = done.attachment();
        assertThat(a.mediaType()).isEqualTo("video/mp4");
        assertThat(a.width()).isEqualTo(1280);
        assertThat(a.height()).isEqualTo(720);
        assertThat(a.durationMillis()).isEqualTo(12_500);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(a.thumbnail()));
        assertThat(thumb.getWidth()).isEqualTo(MediaPipeline.THUMBNAIL_EDGE);

        Transfers.UploadReady second = start(ann, c, "v2", "clip2.mp4", "video/mp4", video, false);
        assertThat(ann.error(new Transfers.UploadFinish(second.uploadId(), "", 1280, 720, 1000,
                "garbage".getBytes(StandardCharsets.UTF_8))).code()).isEqualTo(ErrorCode.INVALID_MEDIA);
    }
}
