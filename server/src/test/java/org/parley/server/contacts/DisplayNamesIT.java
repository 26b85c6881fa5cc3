package org.parley.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A user changes their display name ({@code SetDisplayName}) and everyone who shows it hears it at once
 * ({@code DisplayNameChanged}): contacts, members of a shared group, the other party of a pending request and the
 * user's own other connection; a stranger and a version 1 connection hear nothing. Bad names are refused in words
 * and change nothing.
 */
class DisplayNamesIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    private static String displayNameOf(TestConnection c, String user) {
        return c.request(new Contacts.SearchUsers(user, 50), Contacts.UserList.class).users().stream()
                .filter(u -> u.user().equals(user)).findFirst().orElseThrow().displayName();
    }

    /** A round trip on {@code c}: whatever the server pushed to it before is in its queue after this. */
    private static void roundTrip(TestConnection c) {
        c.request(new Session.Ping(1), Session.Pong.class);
    }

    @Test
    void aNewDisplayNameIsPushedToContactsCoMembersRequestsAndOwnConnectionsOnly() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob"); // a contact
        TestConnection cat = server.register("cat"); // a member of a group with ann, no contact
        TestConnection dan = server.register("dan"); // asked ann to be a contact, not answered
        TestConnection eve = server.register("eve"); // a stranger
        server.register("fay").close(); // a contact on a version 1 connection
        DirectoryIT.befriend(ann, "ann", bob, "bob");
        DirectoryIT.befriend(ann, "ann", server.login("fay"), "fay");
        TestConnection fayV1 = server.login("fay", 1);
        ann.request(new Conversations.CreateGroup("team", List.of("cat")), Conversations.ConversationInfo.class);
        dan.request(new Contacts.RequestContact("ann"), Session.Ok.class);
        TestConnection annPhone = server.login("ann");

        ann.request(new Contacts.SetDisplayName("  Ann Archer "), Session.Ok.class);

        for (TestConnection c : List.of(bob, cat, dan, annPhone, ann)) {
            Contacts.DisplayNameChanged push = c.awaitPush(Contacts.DisplayNameChanged.class);
            assertThat(push.user()).isEqualTo("ann");
            assertThat(push.displayName()).isEqualTo("Ann Archer");
        }
        roundTrip(eve);
        roundTrip(fayV1);
        assertThat(eve.drainPushes(Contacts.DisplayNameChanged.class)).as("a stranger").isEmpty();
        assertThat(fayV1.drainPushes(Contacts.DisplayNameChanged.class)).as("version 1 has no such push").isEmpty();

        // What every later answer says, also after signing in again.
        assertThat(displayNameOf(eve, "ann")).isEqualTo("Ann Archer");
        assertThat(bob.request(new Contacts.ListContacts(), Contacts.ContactList.class).contacts())
                .extracting(Contacts.UserInfo::displayName).containsExactly("Ann Archer");
        assertThat(server.connect().request(new Accounts.Login("ann", "password-ann", "test"),
                Accounts.LoggedIn.class).displayName()).isEqualTo("Ann Archer");

        // The same name again changes nothing and pushes nothing.
        ann.request(new Contacts.SetDisplayName("Ann Archer"), Session.Ok.class);
        roundTrip(bob);
        assertThat(bob.drainPushes(Contacts.DisplayNameChanged.class)).isEmpty();

        // Blank: back to the user name.
        ann.request(new Contacts.SetDisplayName(" "), Session.Ok.class);
        assertThat(bob.awaitPush(Contacts.DisplayNameChanged.class).displayName()).isEqualTo("ann");
    }

    @Test
    void badNamesAreRefusedInWordsAndChangeNothing() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        DirectoryIT.befriend(ann, "ann", bob, "bob");
        Session.ErrorReply e = ann.error(new Contacts.SetDisplayName("Ann\u202Egnp.exe"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.message()).contains("display name").contains("U+202E");
        e = ann.error(new Contacts.SetDisplayName("A".repeat(101)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.message()).contains("display name");
        roundTrip(bob);
        assertThat(bob.drainPushes(Contacts.DisplayNameChanged.class)).isEmpty();
        assertThat(displayNameOf(bob, "ann")).as("as registered").isEqualTo("ANN");
    }
}
