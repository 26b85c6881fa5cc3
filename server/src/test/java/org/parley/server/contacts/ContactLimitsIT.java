package org.parley.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Pending contact requests are bounded per sender (max-pending-contact-requests-sent) and per recipient
 * (max-pending-contact-requests-received): beyond, RequestContact is refused in words and nothing is stored or
 * pushed; an answer or a cancellation makes room again, and asking back someone who asked still accepts.
 */
class ContactLimitsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--max-pending-contact-requests-sent", "2",
            "--max-pending-contact-requests-received", "3");

    private static Contacts.ContactList contacts(TestConnection c) {
        return c.request(new Contacts.ListContacts(), Contacts.ContactList.class);
    }

    @Test
    void oneAccountCannotAskEveryone() throws IOException {
        TestConnection eve = server.register("eve");
        List<TestConnection> others = new ArrayList<>();
        for (String name : List.of("ann", "bob", "cat")) {
            others.add(server.register(name));
        }
        eve.request(new Contacts.RequestContact("ann"), Session.Ok.class);
        eve.request(new Contacts.RequestContact("bob"), Session.Ok.class);
        Session.ErrorReply refused = eve.error(new Contacts.RequestContact("cat"));
        assertThat(refused.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(refused.message()).contains("you have 2 contact requests waiting");
        assertThat(contacts(others.get(2)).incoming()).as("cat was not asked").isEmpty();
        assertThat(others.get(2).drainPushes(Contacts.ContactRequested.class)).isEmpty();
        // Someone who asked eve can still be accepted by asking back, whatever her count.
        others.get(2).request(new Contacts.RequestContact("eve"), Session.Ok.class);
        eve.request(new Contacts.RequestContact("cat"), Session.Ok.class);
        assertThat(contacts(eve).contacts()).extracting(Contacts.UserInfo::user).containsExactly("cat");
        // A cancelled request makes room; so does an answer.
        eve.request(new Contacts.RemoveContact("ann"), Session.Ok.class);
        TestConnection dan = server.register("dan");
        eve.request(new Contacts.RequestContact("dan"), Session.Ok.class);
        assertThat(eve.error(new Contacts.RequestContact("ann")).code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        dan.request(new Contacts.AnswerContact("eve", false), Session.Ok.class);
        eve.request(new Contacts.RequestContact("ann"), Session.Ok.class);
        assertThat(contacts(eve).outgoing()).extracting(Contacts.UserInfo::user).containsExactlyInAnyOrder("ann",
                "bob");
    }

    @Test
    void manyAccountsCannotBuryOneUser() throws IOException {
        TestConnection bob = server.register("bob");
        List<String> askers = List.of("a1", "a2", "a3", "a4");
        List<TestConnection> connections = new ArrayList<>();
        for (String a : askers) {
            connections.add(server.register(a));
        }
        for (int i = 0; i < 3; i++) {
            connections.get(i).request(new Contacts.RequestContact("bob"), Session.Ok.class);
        }
        Session.ErrorReply refused = connections.get(3).error(new Contacts.RequestContact("bob"));
        assertThat(refused.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(refused.message()).contains("bob has 3 contact requests waiting");
        assertThat(contacts(bob).incoming()).extracting(Contacts.UserInfo::user)
                .containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(contacts(connections.get(3)).outgoing()).as("nothing stored for the refused one").isEmpty();
        // bob makes room by answering; bob himself may still ask anyone who has not asked him.
        bob.request(new Contacts.AnswerContact("a1", false), Session.Ok.class);
        connections.get(3).request(new Contacts.RequestContact("bob"), Session.Ok.class);
        assertThat(contacts(bob).incoming()).extracting(Contacts.UserInfo::user)
                .containsExactlyInAnyOrder("a2", "a3", "a4");
    }
}
