package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Unfinished uploads cannot lock others out: a user's open uploads are capped in number and declared bytes, and
 * all users' active unfinished uploads together in bytes (before, eight accounts reserved the whole disk with
 * uploads that never sent a byte, and everyone else got STORAGE_FULL until they expired a week later).
 */
class UploadCapsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-open-uploads", "3",
            "--max-unfinished-bytes-per-user", "1000000", "--max-unfinished-bytes", "1500000");

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    private static Transfers.UploadStart start(long conversation, String id, long size) {
        return Transfer.startRequest(conversation, id, id + ".bin", "", new SeededBytes(id.hashCode(), size));
    }

    @Test
    void oneUserCannotOpenUploadsWithoutEnd() throws IOException {
        TestConnection eve = server.register("eve");
        server.register("bob");
        long c = direct(eve, "bob");
        Transfers.UploadReady first = eve.request(start(c, "a", 10), Transfers.UploadReady.class);
        eve.request(start(c, "b", 10), Transfers.UploadReady.class);
        eve.request(start(c, "c", 10), Transfers.UploadReady.class);
        Session.ErrorReply tooMany = eve.error(start(c, "d", 10));
        assertThat(tooMany.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(tooMany.message()).contains("3 unfinished uploads");
        // Starting an open one again resumes it; cancelling one makes room.
        assertThat(eve.request(start(c, "a", 10), Transfers.UploadReady.class).uploadId()).isEqualTo(first.uploadId());
        eve.request(new Transfers.UploadCancel(first.uploadId()), Session.Ok.class);
        eve.request(start(c, "d", 10), Transfers.UploadReady.class);
    }

    @Test
    void unfinishedBytesAreCappedPerUserAndForEveryoneTogether() throws IOException {
        TestConnection eve = server.register("eve");
        TestConnection mal = server.register("mal");
        TestConnection ann = server.register("ann");
        long ce = direct(eve, "ann");
        long cm = direct(mal, "ann");
        long ca = direct(ann, "eve");
        eve.request(start(ce, "e1", 900_000), Transfers.UploadReady.class);
        Session.ErrorReply perUser = eve.error(start(ce, "e2", 200_000));
        assertThat(perUser.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(perUser.message()).contains("900000");

        mal.request(start(cm, "m1", 500_000), Transfers.UploadReady.class);
        Session.ErrorReply server = ann.error(start(ca, "a1", 200_000));
        assertThat(server.code()).isEqualTo(ErrorCode.STORAGE_FULL);
        assertThat(server.message()).contains("try again in a few minutes");
        ann.request(start(ca, "a2", 100_000), Transfers.UploadReady.class);
    }
}
