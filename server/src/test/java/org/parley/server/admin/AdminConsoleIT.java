package org.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** The administrator's console requests: users, groups (and deleting one), the server's status. */
class AdminConsoleIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--registration", "closed",
            "--file-quota-bytes", "1000000");

    private TestConnection root() throws IOException {
        TestConnection root = server.connect();
        assertThat(root.request(new Accounts.Register("root", "password-root", "", ""), Accounts.LoggedIn.class)
                .admin()).isTrue();
        return root;
    }

    private TestConnection user(TestConnection admin, String name) throws IOException {
        admin.request(new Admin.CreateAccount(name, "password-" + name, name.toUpperCase()), Session.Ok.class);
        TestConnection c = server.connect();
        c.request(new Accounts.Login(name, "password-" + name, "laptop"), Accounts.LoggedIn.class);
        return c;
    }

    private static long group(TestConnection creator, String title, String... members) {
        return creator.request(new Conversations.CreateGroup(title, List.of(members)),
                Conversations.ConversationInfo.class).id();
    }

    private static Transfers.UploadDone upload(TestConnection c, long conversation, String clientId, byte[] bytes)
            throws NoSuchAlgorithmException {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Transfers.UploadReady ready = c.request(new Transfers.UploadStart(conversation, clientId, "notes.txt",
                "text/plain", bytes.length, sha, false), Transfers.UploadReady.class);
        c.request(new Transfers.UploadChunk(ready.uploadId(), 0, bytes), Session.Ok.class);
        return c.request(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0, new byte[0]),
                Transfers.UploadDone.class);
    }

    @Test
    void everyConsoleRequestIsForbiddenToOthersAndChangesNothing() throws IOException {
        TestConnection root = root();
        TestConnection ann = user(root, "ann");
        long g = group(root, "Design", "ann");
        int audited = root.request(new Admin.ReadAuditLog(0, 200), Admin.AuditPage.class).entries().size();
        Map<String, Message> requests = Map.of("list users", new Admin.ListUsers("", "", 0), "list groups",
                new Admin.ListGroups(0, 0), "delete groups", new Admin.DeleteGroup(g), "see the server's status",
                new Admin.GetServerStatus());
        requests.forEach((what, request) -> {
            Session.ErrorReply e = ann.error(request);
            assertThat(e.code()).as(what).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.message()).as(what).isEqualTo("only administrators can " + what);
        });
        assertThat(ann.request(new Chat.FetchBefore(g, 0, 10), Chat.MessagePage.class)).as("the group is there")
                .isNotNull();
        assertThat(root.request(new Admin.ReadAuditLog(0, 200), Admin.AuditPage.class).entries()).hasSize(audited);
        // Unmade, an administrator is refused at once.
        root.request(new Admin.SetAdmin("ann", true), Session.Ok.class);
        ann.request(new Admin.GetServerStatus(), Admin.ServerStatus.class);
        root.request(new Admin.SetAdmin("ann", false), Session.Ok.class);
        assertThat(ann.error(new Admin.ListUsers("", "", 0)).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void usersAreListedByNameWithDisabledOnesAdminFlagQuotaUseAndConnectionsInPages() throws Exception {
        long before = System.currentTimeMillis();
        TestConnection root = root();
        TestConnection ann = user(root, "ann");
        user(root, "bob");
        root.request(new Admin.CreateAccount("cat", "password-cat", "Cat Ng"), Session.Ok.class);
        root.request(new Accounts.DisableAccount("bob"), Session.Ok.class);
        long g = group(ann, "files", "cat");
        byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        upload(ann, g, "u1", bytes);

        List<Admin.UserSummary> all = root.request(new Admin.ListUsers("", "", 0), Admin.UserPage.class).users();
        assertThat(all).extracting(Admin.UserSummary::user).containsExactly("ann", "bob", "cat", "root");
        Admin.UserSummary annRow = all.get(0);
        assertThat(annRow.displayName()).isEqualTo("ANN");
        assertThat(annRow.admin()).isFalse();
        assertThat(annRow.disabled()).isFalse();
        assertThat(annRow.createdAt()).isBetween(before, System.currentTimeMillis());
        assertThat(annRow.lastLoginAt()).isBetween(annRow.createdAt(), System.currentTimeMillis());
        assertThat(annRow.quotaUsed()).isEqualTo(bytes.length);
        assertThat(annRow.connections()).isEqualTo(1);
        Admin.UserSummary bobRow = all.get(1);
        assertThat(bobRow.disabled()).isTrue();
        assertThat(bobRow.connections()).as("disabling closed bob's connection").isZero();
        Admin.UserSummary catRow = all.get(2);
        assertThat(catRow.lastLoginAt()).as("cat never logged in").isZero();
        assertThat(catRow.quotaUsed()).isZero();
        assertThat(all.get(3).admin()).isTrue();

        // Pages: after the last name of the previous one; the query matches names and display names.
        Admin.UserPage first = root.request(new Admin.ListUsers("", "", 2), Admin.UserPage.class);
        assertThat(first.users()).extracting(Admin.UserSummary::user).containsExactly("ann", "bob");
        assertThat(first.more()).isTrue();
        Admin.UserPage second = root.request(new Admin.ListUsers("", "bob", 2), Admin.UserPage.class);
        assertThat(second.users()).extracting(Admin.UserSummary::user).containsExactly("cat", "root");
        assertThat(second.more()).isFalse();
        assertThat(root.request(new Admin.ListUsers("NG", "", 0), Admin.UserPage.class).users())
                .extracting(Admin.UserSummary::user).containsExactly("cat");
        assertThat(root.request(new Admin.ListUsers("%", "", 0), Admin.UserPage.class).users()).isEmpty();

        assertThat(root.error(new Admin.ListUsers("", "", 201)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(root.error(new Admin.ListUsers("", "", -1)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(root.error(new Admin.ListUsers("x".repeat(101), "", 0)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void groupsAreListedByIdWithTheirMembersInPages() throws IOException {
        TestConnection root = root();
        TestConnection ann = user(root, "ann");
        user(root, "bob");
        long design = group(ann, "Design", "bob");
        ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class);
        long ops = group(root, "Ops", "ann", "bob");
        long lunch = group(ann, "Lunch");
        ann.request(new Chat.Send(design, "m1", Chat.Kind.TEXT, "hello", List.of()), Chat.Sent.class);

        Admin.GroupPage page = root.request(new Admin.ListGroups(0, 0), Admin.GroupPage.class);
        assertThat(page.more()).isFalse();
        assertThat(page.groups()).extracting(Admin.GroupSummary::id).as("no direct conversation")
                .containsExactly(design, ops, lunch);
        Admin.GroupSummary first = page.groups().get(0);
        assertThat(first.title()).isEqualTo("Design");
        assertThat(first.members()).containsExactly("ann", "bob");
        assertThat(first.memberCount()).isEqualTo(2);
        assertThat(first.lastSeq()).isPositive();
        assertThat(page.groups().get(1).members()).containsExactly("ann", "bob", "root");

        Admin.GroupPage two = root.request(new Admin.ListGroups(0, 2), Admin.GroupPage.class);
        assertThat(two.groups()).extracting(Admin.GroupSummary::id).containsExactly(design, ops);
        assertThat(two.more()).isTrue();
        Admin.GroupPage rest = root.request(new Admin.ListGroups(ops, 2), Admin.GroupPage.class);
        assertThat(rest.groups()).extracting(Admin.GroupSummary::id).containsExactly(lunch);
        assertThat(rest.more()).isFalse();
        assertThat(root.error(new Admin.ListGroups(0, 101)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(root.error(new Admin.ListGroups(-1, 0)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aGroupTooLargeForOneFrameIsListedAloneWithItsMembersCutToFit() throws Exception {
        server.restartWith("--registration", "closed", "--max-frame-bytes", "2048", "--max-message-bytes", "512",
                "--login-frame-bytes", "1024");
        TestConnection root = root();
        List<String> names = new ArrayList<>();
        for (int i = 10; i < 50; i++) {
            String name = "member-with-a-long-name-" + i;
            root.request(new Admin.CreateAccount(name, "password-" + i + "-x", ""), Session.Ok.class);
            names.add(name);
        }
        long small = group(root, "small");
        long big = group(root, "big");
        for (int i = 0; i < names.size(); i += 10) {
            root.request(new Conversations.AddMembers(big, names.subList(i, i + 10)), Session.Ok.class);
        }
        root.close();
        // The frame limit lowered afterwards: the group's member list alone no longer fits in one frame.
        server.restartWith("--registration", "closed", "--max-frame-bytes", "1024", "--max-message-bytes", "512",
                "--login-frame-bytes", "1024");
        root = server.connect();
        root.request(new Accounts.Login("root", "password-root", ""), Accounts.LoggedIn.class);
        Admin.GroupPage page = root.request(new Admin.ListGroups(0, 0), Admin.GroupPage.class);
        assertThat(page.groups()).extracting(Admin.GroupSummary::id).containsExactly(small);
        assertThat(page.more()).isTrue();
        Admin.GroupPage next = root.request(new Admin.ListGroups(small, 0), Admin.GroupPage.class);
        Admin.GroupSummary alone = next.groups().get(0);
        assertThat(alone.id()).isEqualTo(big);
        assertThat(alone.memberCount()).isEqualTo(41);
        assertThat(alone.members()).isNotEmpty().hasSizeLessThan(41).isSorted();
        assertThat(next.more()).isFalse();
    }

    /** The server's stored bytes once they are {@code expected}, or what they are after 10 s of waiting. */
    private static long awaitStoredBytes(TestConnection root, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long stored;
        while ((stored = root.request(new Admin.GetServerStatus(), Admin.ServerStatus.class).storedBytes()) != expected
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return stored;
    }

    @Test
    void deletingAGroupRemovesItForEveryMemberWithItsMessagesAndFilesAndIsAudited() throws Exception {
        TestConnection root = root();
        TestConnection ann = user(root, "ann");
        TestConnection bob = user(root, "bob");
        long g = group(ann, "Doomed", "bob");
        long kept = group(ann, "Kept", "bob");
        ann.request(new Chat.Send(g, "m1", Chat.Kind.TEXT, "hello", List.of()), Chat.Sent.class);
        byte[] same = "the same content in two groups".getBytes(StandardCharsets.UTF_8);
        String doomedFile = upload(ann, g, "u1", same).attachment().fileId();
        String keptFile = upload(bob, kept, "u2", same).attachment().fileId();
        // Bob's upload of the same content is stored once: its own blocks are discarded and purged in the
        // background, so the store holds one copy once that is done (before it, two).
        long storedBefore = awaitStoredBytes(root, same.length);

        assertThat(root.error(new Admin.DeleteGroup(999)).code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        long direct = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        assertThat(root.error(new Admin.DeleteGroup(direct)).code()).as("only groups")
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);

        root.request(new Admin.DeleteGroup(g), Session.Ok.class);
        assertThat(ann.awaitPush(Conversations.ConversationRemoved.class, r -> r.conversationId() == g)).isNotNull();
        assertThat(bob.awaitPush(Conversations.ConversationRemoved.class, r -> r.conversationId() == g)).isNotNull();
        assertThat(ann.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations()).extracting(Conversations.ConversationInfo::id).doesNotContain(g).contains(kept);
        assertThat(ann.error(new Chat.FetchBefore(g, 0, 10)).code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(bob.error(new Chat.Send(g, "m2", Chat.Kind.TEXT, "anyone?", List.of())).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.error(new Transfers.StatFile(doomedFile)).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
        assertThat(bob.request(new Transfers.StatFile(keptFile), Transfers.FileInfo.class)).as("the other group's "
                + "file, with the same content, stays").isNotNull();
        assertThat(root.request(new Admin.ListUsers("ann", "", 0), Admin.UserPage.class).users().get(0)
                .quotaUsed()).as("ann's quota is freed").isZero();
        assertThat(awaitStoredBytes(root, storedBefore)).as("content another file uses is kept")
                .isEqualTo(storedBefore);
        assertThat(root.request(new Admin.ListGroups(0, 0), Admin.GroupPage.class).groups())
                .extracting(Admin.GroupSummary::id).containsExactly(kept);

        Admin.AuditEntry entry = root.request(new Admin.ReadAuditLog(0, 1), Admin.AuditPage.class).entries().get(0);
        assertThat(entry.actor()).isEqualTo("root");
        assertThat(entry.action()).isEqualTo("delete-group");
        assertThat(entry.target()).isEqualTo("group " + g);
        assertThat(entry.detail()).isEqualTo("\"Doomed\", 2 members, 3 messages");
        assertThat(root.error(new Admin.DeleteGroup(g)).code()).as("gone").isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
    }

    @Test
    void theStatusTellsVersionUptimeConnectionsAccountsStorageAndQuota() throws Exception {
        long before = System.currentTimeMillis();
        TestConnection root = root();
        TestConnection ann = user(root, "ann");
        server.connect().request(new Accounts.Login("ann", "password-ann", "phone"), Accounts.LoggedIn.class);
        root.request(new Admin.CreateAccount("cat", "password-cat", ""), Session.Ok.class);
        long g = group(ann, "files");
        upload(ann, g, "u1", "some bytes".getBytes(StandardCharsets.UTF_8));

        Admin.ServerStatus s = root.request(new Admin.GetServerStatus(), Admin.ServerStatus.class);
        assertThat(s.version()).isEqualTo("parley/0.1");
        assertThat(s.startedAt()).isPositive().isLessThanOrEqualTo(s.now());
        assertThat(s.now()).isGreaterThanOrEqualTo(before);
        assertThat(s.connections()).isEqualTo(3);
        assertThat(s.onlineUsers()).isEqualTo(2);
        assertThat(s.accounts()).isEqualTo(3);
        assertThat(s.storedBytes()).isGreaterThanOrEqualTo(10);
        assertThat(s.freeBytes()).isPositive();
        assertThat(s.quotaBytes()).isEqualTo(1_000_000);
    }
}
