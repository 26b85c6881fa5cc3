package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.SessionToken;
import org.parley.server.conversations.Conversation;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.messages.MessageStore.Draft;

/** What the administrator's console reads and deletes (accounts, groups), that every adapter must pass unchanged. */
public abstract class StorageContractAdmin extends StorageContractSupport {

    @Test
    void everyAccountIsListedByNameInPagesDisabledOnesIncluded() {
        account("bob");
        Account ann = account("ann");
        Account cat = storage.accounts().create("cat", "Cat Ng", "h", true, 5);
        storage.accounts().setDisabled(ann.id(), true);
        assertThat(storage.accounts().list("", "", 10)).extracting(Account::name).containsExactly("ann", "bob", "cat");
        assertThat(storage.accounts().list("", "", 10).get(0).disabled()).isTrue();
        assertThat(storage.accounts().list("", "ann", 1)).extracting(Account::name).containsExactly("bob");
        assertThat(storage.accounts().list("NG", "", 10)).containsExactly(cat);
        assertThat(storage.accounts().list("_", "", 10)).as("no wildcard").isEmpty();
        assertThat(storage.accounts().count()).isEqualTo(3);
    }

    @Test
    void theLastLoginIsTheNewestSessionStillHeld() {
        Account ann = account("ann");
        Account bob = account("bob");
        storage.accounts().saveToken(new SessionToken(new byte[32], ann.id(), "laptop", 100, 1000));
        byte[] second = new byte[32];
        second[0] = 1;
        storage.accounts().saveToken(new SessionToken(second, ann.id(), "phone", 300, 1000));
        assertThat(storage.accounts().lastLogins(List.of(ann.id(), bob.id()))).containsOnlyKeys(ann.id())
                .containsEntry(ann.id(), 300L);
        assertThat(storage.accounts().lastLogins(List.of())).isEmpty();
    }

    @Test
    void groupsAreListedByIdWithoutDirectConversations() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        Conversation a = storage.conversations().createGroup("a", ann, List.of(bob), 1);
        storage.conversations().findOrCreateDirect(ann, bob, 2);
        Conversation b = storage.conversations().createGroup("b", bob, List.of(), 3);
        assertThat(storage.conversations().groups(0, 10)).containsExactly(a, b);
        assertThat(storage.conversations().groups(a.id(), 10)).containsExactly(b);
        assertThat(storage.conversations().groups(0, 1)).containsExactly(a);
    }

    @Test
    void deletingAGroupDeletesItsMembersMessagesFilesAndUploadsAndContentNoOtherFileUses() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        Conversation doomed = storage.conversations().createGroup("doomed", ann, List.of(bob), 1);
        Conversation kept = storage.conversations().createGroup("kept", ann, List.of(bob), 1);
        long direct = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.messages().append(List.of(new Draft(doomed.id(), ann, "m1", Kind.TEXT, 5, "hi", new byte[0])));
        byte[] shared = {1, 2, 3, 4};
        byte[] own = {5, 6, 7};
        StoredFile inDoomed = post("u1", ann, doomed.id(), shared, "a".repeat(64), "f1");
        StoredFile inKept = post("u2", bob, kept.id(), shared, "a".repeat(64), "f2");
        StoredFile onlyDoomed = post("u3", ann, doomed.id(), own, "b".repeat(64), "f3");
        Upload open = storage.files().createUpload(new Upload("u4", bob, "c4", doomed.id(), "g.bin",
                "application/octet-stream", 10, "c".repeat(64), false, 0, 0, "", 100, 100));
        storage.files().append(open.id(), 0, new byte[] {9}, 101);
        long storedBefore = storage.files().storedBytes();

        assertThat(storage.conversations().deleteGroup(direct)).as("not a group").isFalse();
        assertThat(storage.conversations().deleteGroup(doomed.id())).isTrue();
        assertThat(storage.conversations().deleteGroup(doomed.id())).isFalse();

        assertThat(storage.conversations().find(doomed.id())).isEmpty();
        assertThat(storage.conversations().members(doomed.id())).isEmpty();
        assertThat(storage.conversations().conversationsOf(ann)).extracting(Conversation::id)
                .containsExactlyInAnyOrder(kept.id(), direct);
        assertThat(storage.messages().before(doomed.id(), 0, 10)).isEmpty();
        assertThat(storage.files().file(inDoomed.id())).isEmpty();
        assertThat(storage.files().file(onlyDoomed.id())).isEmpty();
        assertThat(storage.files().upload(open.id())).isEmpty();
        assertThat(storage.files().quotaUsed(ann)).isZero();
        assertThat(storage.files().quotaUsed(bob)).isEqualTo(shared.length);
        while (storage.files().purgeDiscarded(1 << 20)) {
            // until nothing is left
        }
        assertThat(storage.files().storedBytes()).isLessThan(storedBefore);
        assertThat(storage.files().read(storage.files().file(inKept.id()).orElseThrow().blobId(), 0, 10))
                .containsExactly(shared);
        assertThat(storage.conversations().find(kept.id())).isPresent();
    }

    private StoredFile post(String uploadId, long owner, long conversation, byte[] data, String sha, String fileId) {
        Upload u = storage.files().createUpload(new Upload(uploadId, owner, "c-" + uploadId, conversation, "f.bin",
                "application/octet-stream", data.length, sha, false, 0, 0, "", 100, 100));
        storage.files().append(u.id(), 0, data, 200);
        return storage.files().finish(u.id(), new StoredFile(fileId, conversation, owner, u.blobId(), "f.bin",
                "application/octet-stream", data.length, sha, 0, 0, 0, new byte[0], 300), 300);
    }
}
