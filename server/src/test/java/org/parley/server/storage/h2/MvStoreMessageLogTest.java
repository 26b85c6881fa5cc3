package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.common.StorageException;
import org.parley.server.conversations.Conversation;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;
import org.parley.server.storage.jdbc.Jdbc;

/**
 * What the MVStore message log does beyond the storage contract (which {@link H2MvStoreLogContractTest} runs
 * against it): its indexes written every {@link MvStoreMessageLog#INDEX_EVERY} entries and read back, the one-time
 * import of the SQL messages table, the entries of a conversation deleted in SQL dropped at open, and the online
 * backup holding the log.
 */
class MvStoreMessageLogTest {

    @TempDir
    Path dir;

    private static Draft text(long conversation, long sender, String clientId, String text) {
        return new Draft(conversation, sender, clientId, Kind.TEXT, 5000, text, new byte[0]);
    }

    private static List<Draft> batch(long conversation, long sender, int from, int count) {
        List<Draft> drafts = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            drafts.add(text(conversation, sender, "m" + i, "text " + i));
        }
        return drafts;
    }

    @Test
    void entriesAcrossAnIndexCheckpointAreFoundAndDeduplicatedBeforeAndAfterReopening() {
        long ann;
        long c;
        int total = MvStoreMessageLog.INDEX_EVERY + 2_500;
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            for (int from = 1; from <= total; from += 500) {
                s.messages().append(batch(c, ann, from, 500));
            }
            assertThat(s.messages().message(c, 1).orElseThrow().text()).isEqualTo("text 1");
            assertThat(s.messages().append(List.of(text(c, ann, "m7", "again"))).get(0).duplicate()).isTrue();
        }
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.messages().lastSeq(c)).isEqualTo(total);
            assertThat(s.messages().after(c, total - 3, 10)).extracting(StoredMessage::text)
                    .containsExactly("text " + (total - 2), "text " + (total - 1), "text " + total);
            assertThat(s.messages().clientIdUsed(ann, "m" + total)).isTrue();
            assertThat(s.messages().clientIdUsed(ann, "m3")).isTrue();
            List<AppendResult> r = s.messages().append(List.of(text(c, ann, "m9", "again"),
                    text(c, ann, "new", "new")));
            assertThat(r.get(0).duplicate()).isTrue();
            assertThat(r.get(1).message().seq()).isEqualTo(total + 1);
            assertThat(s.conversations().find(c).orElseThrow().lastSeq()).isEqualTo(total + 1);
        }
    }

    @Test
    void theFirstOpenImportsTheSqlMessagesAndTheWayBackIsRefused() {
        long ann;
        long c;
        try (H2Storage s = H2Storage.open(dir, false)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            s.messages().append(batch(c, ann, 1, 3));
            s.messages().append(List.of(new Draft(c, ann, "e1", Kind.EDIT, 50, "one!", new byte[0], 1,
                    List.of())));
        }
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.messages().lastSeq(c)).isEqualTo(4);
            assertThat(s.messages().message(c, 1).orElseThrow().text()).isEqualTo("one!");
            assertThat(s.messages().changesAfter(c, 0)).containsExactly(4);
            assertThat(s.messages().append(List.of(text(c, ann, "m2", "resent"))).get(0).duplicate()).isTrue();
            assertThat(s.messages().append(List.of(text(c, ann, "m5", "five"))).get(0).message().seq()).isEqualTo(5);
        }
        assertThatThrownBy(() -> H2Storage.open(dir, false)).isInstanceOf(StorageException.class)
                .hasMessageContaining("message-log=mvstore");
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.messages().lastSeq(c)).as("imported once, not again").isEqualTo(5);
        }
    }

    @Test
    void aDeletedGroupLeavesNothingAndEntriesOfAConversationGoneFromSqlAreDroppedAtOpen() {
        long ann;
        long kept;
        long gone;
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            long deleted = s.conversations().createGroup("deleted", ann, List.of(), 1).id();
            kept = s.conversations().createGroup("kept", ann, List.of(), 1).id();
            gone = s.conversations().createGroup("gone", ann, List.of(), 1).id();
            s.messages().append(List.of(text(deleted, ann, "d1", "x"), text(kept, ann, "k1", "y"),
                    text(gone, ann, "g1", "z")));
            assertThat(s.conversations().deleteGroup(deleted)).isTrue();
            assertThat(s.messages().lastSeq(deleted)).isZero();
            assertThat(s.messages().message(deleted, 1)).isEmpty();
            assertThat(s.messages().clientIdUsed(ann, "d1")).isFalse();
            assertThatThrownBy(() -> s.messages().append(List.of(text(deleted, ann, "d2", "late"))))
                    .isInstanceOf(StorageException.class);
            // A crash between the SQL deletion and the log's: only SQL forgot the conversation.
            Jdbc.Binder id = ps -> ps.setLong(1, gone);
            s.jdbc().update("DELETE FROM members WHERE conversation_id = ?", id);
            s.jdbc().update("DELETE FROM conversations WHERE id = ?", id);
        }
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.messages().lastSeqs()).extracting(x -> x.conversationId()).containsExactly(kept);
            assertThat(s.messages().clientIdUsed(ann, "g1")).isFalse();
            assertThat(s.messages().message(kept, 1).orElseThrow().text()).isEqualTo("y");
        }
    }

    @Test
    void conversationsAreListedByTheirNewestEntryAndMembersJoinAfterTheLastOne() {
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            long bob = s.accounts().create("bob", "Bob", "h", false, 1).id(); // the lower id
            long ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            long older = s.conversations().createGroup("older", ann, List.of(), 10).id();
            long newer = s.conversations().createGroup("newer", ann, List.of(), 20).id();
            long quiet = s.conversations().createGroup("quiet", ann, List.of(), 15).id();
            s.messages().append(List.of(new Draft(older, ann, "o", Kind.TEXT, 100, "o", new byte[0])));
            assertThat(s.conversations().conversationsOf(ann)).extracting(Conversation::id)
                    .containsExactly(older, newer, quiet);
            assertThat(s.conversations().conversationsOf(ann).get(0).lastSeq()).isEqualTo(1);
            s.conversations().addMembers(older, List.of(bob));
            s.messages().append(List.of(new Draft(older, bob, "b", Kind.TEXT, 110, "b", new byte[0])));
            // bob joined after message 1 (his joined seq is the log's last seq): ann has been there longer
            assertThat(s.conversations().longestStandingMember(older).getAsLong()).isEqualTo(ann);
        }
    }

    @Test
    void theOnlineBackupHoldsTheLogAndRestoresWithIt() throws Exception {
        long ann;
        long c;
        Path zip = dir.resolve("backup.zip");
        Path data = dir.resolve("data");
        try (H2Storage s = H2Storage.open(data, true, true)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            s.messages().append(batch(c, ann, 1, 20));
            s.backup(zip);
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertThat(z.getEntry(MvStoreMessageLog.FILE)).isNotNull();
            assertThat(z.getEntry("parley.mv.db")).isNotNull();
        }
        Path restored = dir.resolve("restored");
        org.parley.server.ops.Backups.restore(zip, restored);
        assertThat(Files.exists(restored.resolve(MvStoreMessageLog.FILE))).isTrue();
        try (H2Storage s = H2Storage.open(restored, true, true)) {
            assertThat(s.messages().lastSeq(c)).isEqualTo(20);
            assertThat(s.messages().after(c, 0, 100)).hasSize(20);
            assertThat(s.messages().clientIdUsed(ann, "m20")).isTrue();
        }
    }
}
