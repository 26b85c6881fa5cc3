package org.parley.server.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.Role;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Group roles (docs/decisions/group-roles.md) over real sockets: who may do what, and what everyone sees. */
class GroupRolesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    private TestConnection ann;
    private TestConnection bob;
    private TestConnection cat;
    private TestConnection dan;

    /** ann creates a group with bob and cat (in that order); dan is not in it. */
    private long group() throws IOException {
        ann = server.register("ann");
        bob = server.register("bob");
        cat = server.register("cat");
        dan = server.register("dan");
        return ann.request(new Conversations.CreateGroup("team", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();
    }

    private static List<String> roles(TestConnection c, long g) {
        return c.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations().stream().filter(x -> x.id() == g).findFirst().orElseThrow().members().stream()
                .map(m -> m.user() + ":" + m.role()).sorted().toList();
    }

    private static List<String> history(TestConnection c, long g) {
        return c.request(new Chat.FetchBefore(g, 0, 100), Chat.MessagePage.class).messages().stream()
                .map(Chat.ChatMessage::text).toList();
    }

    @Test
    void theCreatorIsTheAdminAndEveryMemberSeesIt() throws IOException {
        long g = group();
        assertThat(roles(ann, g)).containsExactly("ann:ADMIN", "bob:MEMBER", "cat:MEMBER");
        assertThat(roles(bob, g)).containsExactly("ann:ADMIN", "bob:MEMBER", "cat:MEMBER");
        long d = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        assertThat(roles(ann, d)).containsExactly("ann:MEMBER", "bob:MEMBER");
    }

    @Test
    void aMemberWhoIsNoAdminMayNotRemoveOthersOrChangeRolesAndNothingChanges() throws IOException {
        long g = group();
        List<String> before = history(ann, g);
        for (Message m : List.of(new Conversations.RemoveMember(g, "cat"), new Conversations.RemoveMember(g, "ann"),
                new Conversations.SetRole(g, "bob", Role.ADMIN), new Conversations.SetRole(g, "cat", Role.ADMIN),
                new Conversations.SetRole(g, "ann", Role.MEMBER))) {
            Session.ErrorReply e = bob.error(m);
            assertThat(e.code()).as(m.toString()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.message()).as(m.toString()).contains("only the group's admins");
        }
        assertThat(roles(ann, g)).containsExactly("ann:ADMIN", "bob:MEMBER", "cat:MEMBER");
        assertThat(history(ann, g)).isEqualTo(before);
    }

    @Test
    void aNonMemberGetsTheSameAnswerAsForAConversationThatDoesNotExist() throws IOException {
        long g = group();
        for (long id : List.of(g, 999_999L)) {
            for (Message m : List.of(new Conversations.RemoveMember(id, "bob"), new Conversations.SetRole(id, "bob",
                    Role.ADMIN), new Conversations.SetRole(id, "dan", Role.ADMIN), new Conversations.Leave(id),
                    new Conversations.Rename(id, "mine"), new Conversations.AddMembers(id, List.of("dan")),
                    new Conversations.RemoveMember(id, "dan"))) {
                Session.ErrorReply e = dan.error(m);
                assertThat(e.code()).as(m.toString()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
                assertThat(e.message()).as(m.toString()).isEqualTo("no conversation " + id
                        + " that you are a member of");
            }
        }
        assertThat(roles(ann, g)).containsExactly("ann:ADMIN", "bob:MEMBER", "cat:MEMBER");
    }

    @Test
    void anAdminNamesAnotherWhoThenMayRemoveMembers() throws IOException {
        long g = group();
        ann.request(new Conversations.SetRole(g, "bob", Role.ADMIN), Session.Ok.class);
        Conversations.ConversationInfo pushed = cat.awaitPush(Conversations.ConversationUpdated.class,
                u -> u.conversation().members().stream().anyMatch(m -> m.user().equals("bob") && m.admin()))
                .conversation();
        assertThat(pushed.members()).filteredOn(Conversations.Member::admin).extracting(Conversations.Member::user)
                .containsExactlyInAnyOrder("ann", "bob");
        ann.request(new Conversations.SetRole(g, "bob", Role.ADMIN), Session.Ok.class); // again: nothing to say

        bob.request(new Conversations.RemoveMember(g, "cat"), Session.Ok.class);
        cat.awaitPush(Conversations.ConversationRemoved.class);
        assertThat(history(ann, g)).containsExactly("ann created the group “team”", "ann made bob an admin",
                "bob removed cat");
        // An admin may remove another admin, and demote one.
        ann.request(new Conversations.SetRole(g, "bob", Role.MEMBER), Session.Ok.class);
        assertThat(bob.error(new Conversations.RemoveMember(g, "ann")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        ann.request(new Conversations.SetRole(g, "bob", Role.ADMIN), Session.Ok.class);
        bob.request(new Conversations.RemoveMember(g, "ann"), Session.Ok.class);
        assertThat(roles(bob, g)).containsExactly("bob:ADMIN");
        assertThat(history(bob, g)).endsWith("ann made bob a member (no longer an admin)", "ann made bob an admin",
                "bob removed ann");
    }

    @Test
    void theLastAdminCannotStepDownButMayLeaveAndTheLongestStandingMemberTakesOver() throws IOException {
        long g = group();
        ann.request(new Conversations.AddMembers(g, List.of("dan")), Session.Ok.class);
        Session.ErrorReply e = ann.error(new Conversations.SetRole(g, "ann", Role.MEMBER));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.message()).contains("at least one admin");

        ann.request(new Conversations.Leave(g), Session.Ok.class);
        // bob and cat came in with the group, dan later: bob (before cat by account) takes over.
        assertThat(roles(cat, g)).containsExactly("bob:ADMIN", "cat:MEMBER", "dan:MEMBER");
        assertThat(history(cat, g)).endsWith("ann left", "bob is now an admin (the last admin left)");
        dan.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().members().stream()
                .anyMatch(m -> m.user().equals("bob") && m.admin()));

        // Removing oneself is leaving, which a member who is no admin may do; an admin may step down when another
        // admin remains.
        cat.request(new Conversations.RemoveMember(g, "cat"), Session.Ok.class);
        bob.request(new Conversations.SetRole(g, "dan", Role.ADMIN), Session.Ok.class);
        bob.request(new Conversations.SetRole(g, "bob", Role.MEMBER), Session.Ok.class);
        assertThat(roles(dan, g)).containsExactly("bob:MEMBER", "dan:ADMIN");
        assertThat(history(dan, g)).endsWith("cat left", "bob made dan an admin", "bob is no longer an admin");
    }

    @Test
    void everyMemberMayStillAddAndRename() throws IOException {
        long g = group();
        bob.request(new Conversations.AddMembers(g, List.of("dan")), Session.Ok.class);
        cat.request(new Conversations.Rename(g, "our team"), Session.Ok.class);
        assertThat(roles(dan, g)).containsExactly("ann:ADMIN", "bob:MEMBER", "cat:MEMBER", "dan:MEMBER");
    }

    @Test
    void rolesAreRefusedWhereTheyMeanNothing() throws IOException {
        long g = group();
        long d = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        assertThat(ann.error(new Conversations.SetRole(d, "bob", Role.ADMIN)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Conversations.SetRole(g, "dan", Role.ADMIN)).code())
                .isEqualTo(ErrorCode.NOT_A_MEMBER);
        assertThat(ann.error(new Conversations.SetRole(g, "nobody", Role.ADMIN)).code())
                .isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(ann.error(new Conversations.RemoveMember(g, "dan")).code()).isEqualTo(ErrorCode.NOT_A_MEMBER);
    }
}
