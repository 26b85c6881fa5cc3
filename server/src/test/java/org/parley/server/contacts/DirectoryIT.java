package org.parley.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Who SearchUsers finds (setting {@code directory}), and that it never shows presence to non-contacts. */
class DirectoryIT {

    static void befriend(TestConnection a, String aName, TestConnection b, String bName) {
        a.request(new Contacts.RequestContact(bName), Session.Ok.class);
        assertThat(b.awaitPush(Contacts.ContactRequested.class).from().user()).isEqualTo(aName);
        b.request(new Contacts.AnswerContact(aName, true), Session.Ok.class);
        assertThat(a.awaitPush(Contacts.ContactAdded.class).contact().user()).isEqualTo(bName);
    }

    static List<String> search(TestConnection c, String query) {
        return c.request(new Contacts.SearchUsers(query, 50), Contacts.UserList.class).users().stream()
                .map(Contacts.UserInfo::user).toList();
    }

    @Nested
    class ContactsOnly {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension().with("--directory", "contacts");

        @Test
        void searchFindsContactsAndPeopleSharingAConversationOnly() throws IOException {
            TestConnection ann = server.register("ann");
            TestConnection bob = server.register("bob");
            TestConnection carl = server.register("carl");
            server.register("dora");
            TestConnection eve = server.register("eve");
            assertThat(search(ann, "")).as("a stranger finds nobody").isEmpty();

            befriend(ann, "ann", bob, "bob");
            ann.request(new Conversations.CreateGroup("team", List.of("carl")), Conversations.ConversationInfo.class);
            eve.request(new Conversations.OpenDirect("ann"), Conversations.ConversationInfo.class);

            assertThat(search(ann, "")).containsExactly("bob", "carl", "eve");
            assertThat(search(ann, "a")).containsExactly("carl");
            assertThat(search(carl, "")).containsExactly("ann");
            assertThat(search(ann, "dora")).isEmpty();
            // Requesting a contact by exact name still works: the directory limits search, not who may ask.
            ann.request(new Contacts.RequestContact("dora"), Session.Ok.class);
        }

        @Test
        void presenceIsShownOnlyToContacts() throws IOException {
            TestConnection ann = server.register("ann");
            TestConnection bob = server.register("bob");
            TestConnection carl = server.register("carl");
            befriend(ann, "ann", bob, "bob");
            carl.request(new Conversations.OpenDirect("ann"), Conversations.ConversationInfo.class);
            ann.request(new Contacts.SetPresence(Contacts.Presence.AWAY, "at lunch"), Session.Ok.class);
            bob.awaitPush(Contacts.PresenceChanged.class, p -> p.user().equals("ann")
                    && p.presence() == Contacts.Presence.AWAY);

            Contacts.UserInfo seenByBob = bob.request(new Contacts.SearchUsers("ann", 5), Contacts.UserList.class)
                    .users().get(0);
            assertThat(seenByBob.presence()).isEqualTo(Contacts.Presence.AWAY);
            assertThat(seenByBob.statusText()).isEqualTo("at lunch");
            Contacts.UserInfo seenByCarl = carl.request(new Contacts.SearchUsers("ann", 5), Contacts.UserList.class)
                    .users().get(0);
            assertThat(seenByCarl.presence()).isEqualTo(Contacts.Presence.OFFLINE);
            assertThat(seenByCarl.statusText()).isEmpty();
        }
    }

    @Nested
    class Organization {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension();

        @Test
        void searchFindsEveryoneButShowsPresenceOnlyToContacts() throws IOException {
            TestConnection ann = server.register("ann");
            TestConnection bob = server.register("bob");
            server.register("carl");
            ann.request(new Contacts.SetPresence(Contacts.Presence.AWAY, "in a meeting"), Session.Ok.class);
            assertThat(search(bob, "")).containsExactly("ann", "carl");
            Contacts.UserInfo ann4Bob = bob.request(new Contacts.SearchUsers("ann", 5), Contacts.UserList.class)
                    .users().get(0);
            assertThat(ann4Bob.presence()).isEqualTo(Contacts.Presence.OFFLINE);
            assertThat(ann4Bob.statusText()).isEmpty();
        }
    }
}
