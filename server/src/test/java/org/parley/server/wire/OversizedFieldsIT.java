package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Text fields as large as a frame allows, in the requests that name a user or carry a query (those of version 2
 * among them: SetRole, SearchMessages, the admin requests): each gets a short error that says what is wrong, the
 * connection stays, and nothing is logged as a server failure. An error that quoted the field back would be larger
 * than a frame: it could not be sent, and the connection was closed with an ERROR and a stack trace in the log.
 */
class OversizedFieldsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @Test
    void hugeNamesAndQueriesGetShortErrorsAndTheConnectionStays() throws Exception {
        TestConnection root = server.register("root"); // the first account: an administrator
        server.register("bob").close();
        long group = root.request(new Conversations.CreateGroup("g", List.of("bob")),
                Conversations.ConversationInfo.class).id();
        String huge = "x".repeat(1_000_000);
        // 'İ' is two bytes, and three in lower case ("i" and a combining dot): a name the server lower-cases before
        // quoting it back makes an answer half as large again as the request.
        String name = "İ".repeat(520_000);
        List<Message> requests = List.of(new Conversations.SetRole(group, name, Conversations.Role.ADMIN),
                new Conversations.RemoveMember(group, name), new Conversations.AddMembers(group, List.of(name)),
                new Conversations.OpenDirect(name), new Conversations.CreateGroup("g2", List.of(name)),
                new Conversations.Rename(group, huge), new Contacts.RequestContact(name),
                new Contacts.SearchUsers(huge, 10), new Contacts.SetPresence(Contacts.Presence.AWAY, huge),
                new Search.SearchMessages(huge, 0, "", 0), new Search.SearchMessages("word", 0, huge, 0),
                new Accounts.DisableAccount(name), new Admin.SetAdmin(name, true), new Admin.EnableAccount(name),
                new Admin.CreatePasswordReset(name), new Admin.CreateAccount(huge, "password-long", "x"),
                new Admin.CreateAccount("newbie", huge, "x"), new Admin.CreateAccount("newbie", "password-long", huge),
                new Admin.ListUsers(huge, "", 10), new Admin.ListUsers("", huge, 10),
                new org.parley.protocol.message.Transfers.UploadStart(group, "u1", "f.bin", name, 10,
                        "0".repeat(64), false));
        List<String> problems = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            for (Message request : requests) {
                String type = request.getClass().getSimpleName();
                Message answer;
                try {
                    answer = root.call(request);
                } catch (AssertionError noAnswer) {
                    answer = null;
                }
                if (answer == null) {
                    problems.add(type + " got no answer");
                } else if (!(answer instanceof Session.ErrorReply e)) {
                    problems.add(type + " answered " + answer.getClass().getSimpleName());
                } else if (e.code() == ErrorCode.INTERNAL_ERROR || e.message().length() > 300) {
                    problems.add(type + " answered " + e.code() + " (" + e.message().length() + " characters)");
                }
                if (root.isClosed()) {
                    problems.add(type + " closed the connection");
                    root = server.login("root");
                }
            }
            assertThat(problems).isEmpty();
            assertThat(root.request(new Session.Ping(9), Session.Pong.class).nonce()).isEqualTo(9);
            assertThat(log.events()).noneMatch(e -> e.getLevel().toString().equals("ERROR"));
        }
    }
}
