package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.Role;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Version 1 and version 2 clients on one server, in one group: each gets the frames of its own version (a test
 * connection decodes in the version its Welcome said, so a frame of the other version would not decode), version 2
 * clients see roles, version 1 clients do not, and the roles apply to both.
 */
class ProtocolVersionsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @Test
    void theServerSpeaksTheHighestVersionTheClientOffers() throws IOException {
        try (TestConnection c = TestConnection.open("127.0.0.1", server.port(), server.isTls())) {
            assertThat(c.hello(1, 2).version()).isEqualTo(2);
        }
        try (TestConnection c = TestConnection.open("127.0.0.1", server.port(), server.isTls())) {
            assertThat(c.hello(1, 1).version()).isEqualTo(1);
        }
        try (TestConnection c = TestConnection.open("127.0.0.1", server.port(), server.isTls())) {
            assertThat(c.hello(2, 2).version()).isEqualTo(2);
        }
    }

    @Test
    void version1AndVersion2ClientsShareAGroupEachInItsOwnVersion() throws IOException {
        server.register("ann").close();
        server.register("bob").close();
        server.register("cat").close();
        TestConnection ann = server.login("ann", 2);
        TestConnection bob = server.login("bob", 1);
        TestConnection cat = server.login("cat", 2);
        assertThat(List.of(ann.version(), bob.version(), cat.version())).containsExactly(2, 1, 2);

        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();
        Conversations.ConversationInfo seenByBob = bob.awaitPush(Conversations.ConversationUpdated.class,
                u -> u.conversation().id() == g).conversation();
        Conversations.ConversationInfo seenByCat = cat.awaitPush(Conversations.ConversationUpdated.class,
                u -> u.conversation().id() == g).conversation();
        assertThat(seenByCat.members()).extracting(m -> m.user() + ":" + m.role())
                .containsExactlyInAnyOrder("ann:ADMIN", "bob:MEMBER", "cat:MEMBER");
        assertThat(seenByBob.members()).as("version 1 has no roles").extracting(m -> m.user() + ":" + m.role())
                .containsExactlyInAnyOrder("ann:MEMBER", "bob:MEMBER", "cat:MEMBER");
        assertThat(seenByBob.title()).isEqualTo("team");
        assertThat(seenByBob.lastSeq()).isEqualTo(seenByCat.lastSeq()).isEqualTo(1);

        // A message fanned out (encoded once per version) reaches both versions intact, both ways.
        ann.request(new Chat.Send(g, "a1", Kind.TEXT, "hello from version 2", List.of()), Chat.Sent.class);
        assertThat(bob.awaitPush(Chat.NewMessage.class, m -> m.message().kind() == Kind.TEXT).message().text())
                .isEqualTo("hello from version 2");
        assertThat(cat.awaitPush(Chat.NewMessage.class, m -> m.message().kind() == Kind.TEXT).message().text())
                .isEqualTo("hello from version 2");
        bob.request(new Chat.Send(g, "b1", Kind.TEXT, "hello from version 1", List.of()), Chat.Sent.class);
        assertThat(ann.awaitPush(Chat.NewMessage.class, m -> m.message().clientMessageId().equals("b1")).message()
                .text()).isEqualTo("hello from version 1");

        Chat.MessagePage v1 = bob.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class);
        Chat.MessagePage v2 = cat.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class);
        assertThat(v1).isEqualTo(v2);
        assertThat(v2.messages()).extracting(Chat.ChatMessage::kind).containsExactly(Kind.SYSTEM, Kind.TEXT,
                Kind.TEXT);
        assertThat(bob.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations()).singleElement().satisfies(c -> assertThat(c.members())
                        .extracting(Conversations.Member::role).containsOnly(Role.MEMBER));
        assertThat(ann.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations()).singleElement().satisfies(c -> assertThat(c.members())
                        .filteredOn(Conversations.Member::admin).extracting(Conversations.Member::user)
                        .containsExactly("ann"));
    }

    @Test
    void aVersion1ClientIsHeldToTheRolesItCannotSee() throws IOException {
        server.register("ann").close();
        server.register("bob").close();
        server.register("cat").close();
        TestConnection ann = server.login("ann", 1);
        TestConnection bob = server.login("bob", 1);
        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();

        Session.ErrorReply refused = bob.error(new Conversations.RemoveMember(g, "cat"));
        assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.message()).contains("admins");
        // The creator, an admin though its version 1 client cannot tell, may.
        ann.request(new Conversations.RemoveMember(g, "cat"), Session.Ok.class);
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 50), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::text).containsExactly("ann created the group “team”", "ann removed cat");
        // Every member may still add, rename and leave.
        bob.request(new Conversations.AddMembers(g, List.of("cat")), Session.Ok.class);
        bob.request(new Conversations.Rename(g, "team 2"), Session.Ok.class);
        bob.request(new Conversations.Leave(g), Session.Ok.class);
    }
}
