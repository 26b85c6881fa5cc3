package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.server.storage.Storage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A deleted message's files (docs/protocol.md, "Editing and deleting messages"): gone for the members, no longer
 * counted against the sender's quota, and their content removed from the server once no other file uses it.
 */
class DeletedFilesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000", "--file-quota-bytes", "1500000");

    @Test
    void aDeletedMessagesFileIsGoneFreesTheQuotaAndItsContentIsRemoved() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        SeededBytes content = new SeededBytes(11, 1_000_000);
        Transfers.UploadDone done = Transfer.upload(ann, c, "f1", "plans.bin", "", content, "the plans");
        Attachment a = done.attachment();
        assertThat(bob.request(new Transfers.StatFile(a.fileId()), Transfers.FileInfo.class)).isNotNull();
        assertThat(ann.error(Transfer.startRequest(c, "f2", "more.bin", "", new SeededBytes(12, 1_000_000)))
                .code()).as("the quota is used").isEqualTo(ErrorCode.QUOTA_EXCEEDED);

        ann.request(new Chat.Delete(c, done.sent().seq(), "d1"), Chat.Sent.class);

        assertThat(bob.error(new Transfers.StatFile(a.fileId())).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
        assertThat(bob.error(new Transfers.FetchChunk(a.fileId(), 0, 100)).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
        Chat.ChatMessage tombstone = bob.request(new Chat.FetchBefore(c, 0, 10), Chat.MessagePage.class).messages()
                .get(0);
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.attachments()).isEmpty();
        assertThat(tombstone.text()).as("the caption goes too").isEmpty();
        Transfer.upload(ann, c, "f2", "more.bin", "", new SeededBytes(12, 1_000_000), "");

        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            assertThat(storage.files().file(a.fileId())).isEmpty();
            assertThat(storage.files().storedBytes()).as("only the second file's content").isEqualTo(1_000_000);
        }
    }
}
