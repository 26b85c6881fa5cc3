package org.parley.server.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * How many groups one account may create (groups-per-day, max-groups-created): beyond either, CreateGroup is refused
 * in words with nothing created, other accounts go on, and a group an administrator deleted no longer counts.
 */
class GroupLimitsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--groups-per-day", "3",
            "--max-groups-created", "100");

    private static Conversations.CreateGroup group(String title) {
        return new Conversations.CreateGroup(title, List.of("bob"));
    }

    private static int groups(TestConnection c) {
        return c.request(new Conversations.ListConversations(), Conversations.ConversationList.class).conversations()
                .size();
    }

    @Test
    void anAccountCreatesAtMostGroupsPerDayAndOthersGoOn() throws IOException {
        TestConnection root = server.register("root");
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        for (int i = 0; i < 3; i++) {
            ann.request(group("g" + i), Conversations.ConversationInfo.class);
        }
        Session.ErrorReply refused = ann.error(group("one too many"));
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.message()).contains("3 groups in the last 24 hours");
        assertThat(groups(bob)).as("nothing was created").isEqualTo(3);
        // Another account is not held back by ann's count, and ann's other requests go on.
        root.request(group("root's"), Conversations.ConversationInfo.class);
        ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class);
        assertThat(groups(bob)).isEqualTo(5);
    }

    @Test
    void anAccountHasAtMostMaxGroupsCreatedAndADeletedOneNoLongerCounts() throws Exception {
        server.restartWith("--groups-per-day", "100", "--max-groups-created", "2", "--admins", "root");
        TestConnection root = server.register("root");
        TestConnection ann = server.register("ann");
        server.register("bob");
        long first = ann.request(group("a"), Conversations.ConversationInfo.class).id();
        ann.request(group("b"), Conversations.ConversationInfo.class);
        Session.ErrorReply refused = ann.error(group("c"));
        assertThat(refused.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(refused.message()).contains("2 groups that still exist");
        // Leaving a group does not undo having created it.
        ann.request(new Conversations.Leave(first), Session.Ok.class);
        assertThat(ann.error(group("c")).code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        root.request(new Admin.DeleteGroup(first), Session.Ok.class);
        ann.request(group("c"), Conversations.ConversationInfo.class);
    }
}
