package org.parley.server.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A user in many large groups: their whole conversation list (member names inline) is larger than a frame, so it
 * comes a page at a time, each page within the frame limit; a version 1 client gets the first page.
 */
class ConversationListIT {

    private static final int FRAME = 65_536;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-frame-bytes", String.valueOf(FRAME),
            "--max-message-bytes", "16384");

    @Test
    void aUserInManyLargeGroupsGetsEveryConversationAPageAtATimeEachWithinTheFrameLimit() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String name = String.format("member-with-a-long-name-%03d", i);
            server.register(name).close();
            members.add(name);
        }
        TestConnection ann = server.register("ann");
        List<Long> groups = new ArrayList<>();
        long all = 0;
        for (int g = 0; g < 15; g++) {
            Conversations.ConversationInfo info = ann.request(new Conversations.CreateGroup("group " + g, members),
                    Conversations.ConversationInfo.class);
            groups.add(info.id());
            all += WireCodec.encode(new Frame(0, info), 2).length;
        }
        assertThat(all).as("the whole list would not fit in one frame").isGreaterThan(FRAME);

        List<Long> seen = new ArrayList<>();
        int pages = 0;
        long after = 0;
        while (true) {
            Conversations.ConversationList page = ann.request(new Conversations.ListConversations(after, 0),
                    Conversations.ConversationList.class);
            pages++;
            assertThat(WireCodec.encode(new Frame(1, page), 2).length).isLessThanOrEqualTo(FRAME);
            assertThat(page.conversations()).isNotEmpty();
            page.conversations().forEach(c -> seen.add(c.id()));
            assertThat(page.conversations()).allSatisfy(c -> assertThat(c.members()).hasSize(121));
            if (!page.more()) {
                break;
            }
            after = page.conversations().getLast().id();
        }
        assertThat(pages).isGreaterThan(1);
        assertThat(seen).containsExactlyElementsOf(groups);

        Conversations.ConversationList four = ann.request(new Conversations.ListConversations(0, 4),
                Conversations.ConversationList.class);
        assertThat(four.conversations()).extracting(Conversations.ConversationInfo::id)
                .containsExactlyElementsOf(groups.subList(0, 4));
        assertThat(four.more()).isTrue();
        Conversations.ConversationList last = ann.request(new Conversations.ListConversations(groups.get(13), 0),
                Conversations.ConversationList.class);
        assertThat(last.conversations()).extracting(Conversations.ConversationInfo::id).containsExactly(groups.get(14));
        assertThat(last.more()).isFalse();
        for (int bad : new int[] {-1, 1001}) {
            Session.ErrorReply e = ann.error(new Conversations.ListConversations(0, bad));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(ann.error(new Conversations.ListConversations(-5, 0)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);

        // A version 1 client cannot ask for more pages: it gets the first, within the frame limit, and works on.
        TestConnection old = server.login("ann", 1);
        Conversations.ConversationList first = old.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class);
        assertThat(first.conversations()).isNotEmpty();
        assertThat(first.conversations()).extracting(Conversations.ConversationInfo::id)
                .containsExactlyElementsOf(groups.subList(0, first.conversations().size()));
        assertThat(old.request(new Session.Ping(3), Session.Pong.class).nonce()).isEqualTo(3);
    }
}
