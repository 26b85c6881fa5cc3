package org.parley.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Contacts.Presence;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

class ContactsIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension());

    /** The storage the server runs on: H2 here; {@link ContactsOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    private void befriend(TestConnection a, String aName, TestConnection b, String bName) {
        a.request(new Contacts.RequestContact(bName), Session.Ok.class);
        assertThat(b.awaitPush(Contacts.ContactRequested.class).from().user()).isEqualTo(aName);
        b.request(new Contacts.AnswerContact(aName, true), Session.Ok.class);
        assertThat(a.awaitPush(Contacts.ContactAdded.class).contact().user()).isEqualTo(bName);
    }

    @Test
    void requestAcceptAndSeePresence() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        ann.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        Contacts.ContactList pending = bob.request(new Contacts.ListContacts(), Contacts.ContactList.class);
        assertThat(pending.incoming()).extracting(Contacts.UserInfo::user).containsExactly("ann");
        assertThat(pending.incoming().get(0).presence()).as("no presence before accepting").isEqualTo(Presence.OFFLINE);
        assertThat(ann.request(new Contacts.ListContacts(), Contacts.ContactList.class).outgoing())
                .extracting(Contacts.UserInfo::user).containsExactly("bob");

        bob.request(new Contacts.AnswerContact("ann", true), Session.Ok.class);
        Contacts.UserInfo added = ann.awaitPush(Contacts.ContactAdded.class).contact();
        assertThat(added.user()).isEqualTo("bob");
        assertThat(added.presence()).isEqualTo(Presence.ONLINE);
        assertThat(bob.request(new Contacts.ListContacts(), Contacts.ContactList.class).contacts())
                .extracting(Contacts.UserInfo::user).containsExactly("ann");

        bob.request(new Contacts.SetPresence(Presence.AWAY, "lunch"), Session.Ok.class);
        Contacts.PresenceChanged away = ann.awaitPush(Contacts.PresenceChanged.class,
                p -> p.presence() == Presence.AWAY);
        assertThat(away.user()).isEqualTo("bob");
        assertThat(away.statusText()).isEqualTo("lunch");

        bob.close();
        assertThat(ann.awaitPush(Contacts.PresenceChanged.class, p -> p.presence() == Presence.OFFLINE).user())
                .isEqualTo("bob");
        TestConnection bobAgain = server.login("bob");
        assertThat(ann.awaitPush(Contacts.PresenceChanged.class, p -> p.presence() == Presence.ONLINE).user())
                .isEqualTo("bob");
        bobAgain.close();
    }

    @Test
    void presenceIsNotShownToStrangers() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection eve = server.register("eve");
        TestConnection bob = server.register("bob");
        befriend(ann, "ann", bob, "bob");
        ann.request(new Contacts.SetPresence(Presence.AWAY, "secret"), Session.Ok.class);
        bob.awaitPush(Contacts.PresenceChanged.class, p -> p.presence() == Presence.AWAY);
        eve.request(new Session.Ping(1), Session.Pong.class);
        assertThat(eve.drainPushes(Contacts.PresenceChanged.class)).isEmpty();
        Contacts.UserInfo seenByEve = eve.request(new Contacts.SearchUsers("ann", 5), Contacts.UserList.class).users()
                .get(0);
        assertThat(seenByEve.presence()).isEqualTo(Presence.OFFLINE);
        assertThat(seenByEve.statusText()).isEmpty();
    }

    @Test
    void askingBackAcceptsAndDeclineIsTold() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection cat = server.register("cat");
        ann.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        bob.request(new Contacts.RequestContact("ann"), Session.Ok.class);
        assertThat(ann.awaitPush(Contacts.ContactAdded.class).contact().user()).isEqualTo("bob");

        cat.request(new Contacts.RequestContact("ann"), Session.Ok.class);
        ann.request(new Contacts.AnswerContact("cat", false), Session.Ok.class);
        assertThat(cat.awaitPush(Contacts.ContactDeclined.class).user()).isEqualTo("ann");
        assertThat(ann.request(new Contacts.ListContacts(), Contacts.ContactList.class).contacts())
                .extracting(Contacts.UserInfo::user).containsExactly("bob");

        ann.request(new Contacts.RemoveContact("bob"), Session.Ok.class);
        assertThat(bob.awaitPush(Contacts.ContactRemoved.class).user()).isEqualTo("ann");
    }

    @Test
    void aPendingRequestIsCancelledByItsSender() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        ann.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        assertThat(bob.awaitPush(Contacts.ContactRequested.class).from().user()).isEqualTo("ann");

        ann.request(new Contacts.RemoveContact("bob"), Session.Ok.class);
        assertThat(bob.awaitPush(Contacts.ContactRemoved.class).user()).isEqualTo("ann");
        assertThat(ann.awaitPush(Contacts.ContactRemoved.class).user()).isEqualTo("bob");
        assertThat(ann.request(new Contacts.ListContacts(), Contacts.ContactList.class).outgoing()).isEmpty();
        assertThat(bob.request(new Contacts.ListContacts(), Contacts.ContactList.class).incoming()).isEmpty();
        assertThat(bob.error(new Contacts.AnswerContact("ann", true)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ann.error(new Contacts.RemoveContact("bob")).code()).isEqualTo(ErrorCode.CONFLICT);
        // asked again, and accepted this time
        ann.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        bob.request(new Contacts.AnswerContact("ann", true), Session.Ok.class);
        assertThat(ann.awaitPush(Contacts.ContactAdded.class).contact().user()).isEqualTo("bob");
    }

    @Test
    void badContactRequestsAreRefused() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        assertThat(ann.error(new Contacts.RequestContact("nobody")).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(ann.error(new Contacts.RequestContact("ann")).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        ann.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        assertThat(ann.error(new Contacts.RequestContact("bob")).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ann.error(new Contacts.AnswerContact("bob", true)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ann.error(new Contacts.RemoveContact("nobody")).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(bob.error(new Contacts.RemoveContact("ann")).code()).as("a request to bob is not bob's to cancel")
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(bob.error(new Contacts.SetPresence(Presence.OFFLINE, "")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void searchFindsOthersByNameOrDisplayName() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("annika");
        server.register("bob");
        assertThat(ann.request(new Contacts.SearchUsers("ANN", 10), Contacts.UserList.class).users())
                .extracting(Contacts.UserInfo::user).containsExactly("annika");
        assertThat(ann.request(new Contacts.SearchUsers("BOB", 10), Contacts.UserList.class).users())
                .extracting(Contacts.UserInfo::displayName).containsExactly("BOB");
    }
}
