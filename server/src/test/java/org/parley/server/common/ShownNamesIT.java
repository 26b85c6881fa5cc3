package org.parley.server.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Contacts.Presence;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Every name a user sets that others see refuses invisible and direction-changing characters (Names.shown). */
class ShownNamesIT {

    private static final String RLO = "invoice\u202Egnp.exe";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @Test
    void aDisplayNameWithARightToLeftOverrideIsRefusedAndNoAccountIsMade() throws IOException {
        TestConnection c = server.connect();
        Session.ErrorReply e = c.error(new Accounts.Register("ann", "password-ann", RLO, "laptop"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.message()).contains("display name").contains("U+202E");
        // Nothing was made: the name is still free, and the same connection registers with a clean name.
        Accounts.LoggedIn in = c.request(new Accounts.Register("ann", "password-ann", "Ann \uD83D\uDE42", "laptop"),
                Accounts.LoggedIn.class);
        assertThat(in.displayName()).isEqualTo("Ann \uD83D\uDE42");
        assertThat(server.connect().error(new Accounts.Register("bob", "password-bob", "Bob\u200B", "")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void groupTitlesAndRenamesRefuseThemAndKeepTheOldTitle() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        assertThat(ann.error(new Conversations.CreateGroup("Team\u2067A", List.of("bob"))).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Conversations.ConversationInfo group = ann.request(new Conversations.CreateGroup("Team", List.of("bob")),
                Conversations.ConversationInfo.class);
        Session.ErrorReply e = ann.error(new Conversations.Rename(group.id(), "Te\u202Eam"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.message()).contains("title");
        List<Conversations.ConversationInfo> list = ann.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations();
        assertThat(list).extracting(Conversations.ConversationInfo::title).containsExactly("Team");
    }

    @Test
    void statusTextRefusesThem() throws IOException {
        TestConnection ann = server.register("ann");
        Session.ErrorReply e = ann.error(new Contacts.SetPresence(Presence.AWAY, "back\u2066 soon"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.message()).contains("status");
        ann.request(new Contacts.SetPresence(Presence.AWAY, "back soon"), Session.Ok.class);
    }
}
