package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Conversations;
import org.parley.server.testing.ParleyServerExtension;

/**
 * A user in more large groups than one frame holds (a small frame limit here): the client asks for its
 * conversation list a page at a time, both when asked and when it resyncs after logging in, and sees every group.
 */
class ConversationPagesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-frame-bytes", "16384",
            "--max-message-bytes", "4096");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyGroupIsListedAndResyncedAPageAtATime() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String name = String.format("member-with-a-long-name-%03d", i);
            server.register(name).close();
            members.add(name);
        }
        ParleyClient ann = clients.open(new Recorder());
        get(ann.register("ann", "password-ann", "Ann"));
        Set<Long> groups = new java.util.HashSet<>();
        for (int g = 0; g < 20; g++) {
            groups.add(get(ann.createGroup("group " + g, members)).id());
        }
        List<Conversations.ConversationInfo> listed = get(ann.listConversations());
        assertThat(listed).extracting(Conversations.ConversationInfo::id).containsExactlyInAnyOrderElementsOf(groups);

        Recorder other = new Recorder();
        ParleyClient again = clients.open(other);
        get(again.login("ann", "password-ann"));
        Recorder.await("every group resynced", () -> other.conversations.stream()
                .map(Conversations.ConversationInfo::id).collect(Collectors.toSet()).containsAll(groups));
    }
}
