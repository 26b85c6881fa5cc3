package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.server.testing.ParleyServerExtension;

/**
 * Display names through the client core: a changed one reaches the other client's {@link DisplayNames} and its
 * listeners live; every SYSTEM line a real server writes for a group's changes is one that {@link SystemLines}
 * shows with display names.
 */
class DisplayNamesClientIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @RegisterExtension
    final TestClients clients = new TestClients(server);

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aNewDisplayNameReachesTheOtherClientsNamesAndListenersLive() throws Exception {
        ParleyClient ann = clients.open();
        ParleyClient bob = clients.open();
        get(ann.register("ann", "password-ann", "Ann Lee"));
        get(bob.register("bob", "password-bob", "Bob Roy"));
        get(ann.openDirect("bob"));
        List<String> heard = new CopyOnWriteArrayList<>();
        bob.names().addListener((user, name) -> heard.add(user + "=" + name));

        get(ann.setDisplayName("Ann Archer"));
        Recorder.await("bob hears ann's new name", () -> heard.contains("ann=Ann Archer"));
        assertThat(bob.names().of("ann")).isEqualTo("Ann Archer");
        Recorder.await("ann's own client too", () -> ann.names().of("ann").equals("Ann Archer"));
    }

    @Test
    void everySystemLineOfAGroupIsShownWithDisplayNames() throws Exception {
        ParleyClient ann = clients.open();
        get(ann.register("ann", "password-ann", "Ann Lee"));
        ParleyClient bob = clients.open();
        get(bob.register("bob", "password-bob", "BOB"));
        for (String u : List.of("cat", "dan")) {
            ParleyClient c = clients.open();
            get(c.register(u, "password-" + u, u.toUpperCase()));
        }
        long g = get(ann.createGroup("Team", List.of("bob"))).id();
        get(ann.rename(g, "Team 2"));
        get(ann.addMembers(g, List.of("cat", "dan")));
        get(ann.setRole(g, "bob", Conversations.Role.ADMIN));
        get(ann.setRole(g, "bob", Conversations.Role.MEMBER));
        get(ann.setRole(g, "cat", Conversations.Role.ADMIN));
        get(ann.removeMember(g, "dan"));
        get(ann.setRole(g, "ann", Conversations.Role.MEMBER)); // cat is admin: ann may step down
        long other = get(ann.createGroup("Other", List.of("bob"))).id();
        get(ann.leave(other)); // its last admin: bob takes over
        List<String> lines = get(ann.fetchBefore(g, 0, 50)).messages().stream()
                .filter(m -> m.kind() == Chat.Kind.SYSTEM).map(Chat.ChatMessage::text).toList();
        Map<String, String> names = Map.of("ann", "Ann Lee", "bob", "Bob Roy", "cat", "Cat Ng", "dan", "Dan Wu");
        assertThat(lines.stream().map(l -> SystemLines.shown(l, names::get)).toList()).containsExactly(
                "Ann Lee created the group “Team”",
                "Ann Lee renamed the group to “Team 2”",
                "Ann Lee added Cat Ng, Dan Wu",
                "Ann Lee made Bob Roy an admin",
                "Ann Lee made Bob Roy a member (no longer an admin)",
                "Ann Lee made Cat Ng an admin",
                "Ann Lee removed Dan Wu",
                "Ann Lee is no longer an admin");
        assertThat(get(bob.fetchBefore(other, 0, 50)).messages().stream().filter(m -> m.kind() == Chat.Kind.SYSTEM)
                .map(m -> SystemLines.shown(m.text(), names::get)).toList()).containsExactly(
                        "Ann Lee created the group “Other”", "Ann Lee left",
                        "Bob Roy is now an admin (the last admin left)");
        assertThat(SystemLines.shown("something new happened to ann", names::get)).as("another form: as it is")
                .isEqualTo("something new happened to ann");
        assertThat(SystemLines.shown("ann renamed the group to “bob left”", names::get)).as("a title is no name")
                .isEqualTo("Ann Lee renamed the group to “bob left”");
    }
}
