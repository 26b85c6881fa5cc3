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
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.parley.protocol.ClientIds;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.common.StorageException;
import org.parley.server.conversations.Conversation;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;
import org.parley.server.storage.jdbc.Jdbc;
import org.parley.server.storage.jdbc.Migrations;

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
        try (H2Storage s = H2Storage.open(dir, false, false)) {
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
        assertThatThrownBy(() -> H2Storage.open(dir, false, false)).isInstanceOf(StorageException.class)
                .hasMessageContaining("message-log=mvstore");
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.messages().lastSeq(c)).as("imported once, not again").isEqualTo(5);
        }
    }

    /** The sender's marks as the SQL members table holds them, read past the store (and so past its overlay). */
    private static String sqlMarks(H2Storage s, long conversation, long account) {
        return s.jdbc().queryOne("SELECT delivered_up_to, read_up_to FROM members WHERE conversation_id = ? "
                + "AND account_id = ?", ps -> {
                    ps.setLong(1, conversation);
                    ps.setLong(2, account);
                }, rs -> rs.getLong(1) + "/" + rs.getLong(2)).orElseThrow();
    }

    /**
     * A batch writes nothing in SQL: the senders' marks are kept in memory and written at the index checkpoint (every
     * {@link MvStoreMessageLog#INDEX_EVERY} entries) and at close; meanwhile every reader of the member rows sees
     * them moved already, and a restart finds them written.
     */
    @Test
    void theSendersMarksAreWrittenBehindAndReadersSeeThemAtOnce() {
        long ann;
        long bob;
        long c;
        long newest;
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            bob = s.accounts().create("bob", "Bob", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(bob), 1).id();
            long joined = s.messages().lastSeq(c);
            s.messages().append(batch(c, ann, 1, 3));
            newest = s.messages().lastSeq(c);
            assertThat(newest).isEqualTo(joined + 3);
            assertThat(sqlMarks(s, c, ann)).as("not written by the batch").isNotEqualTo(newest + "/" + newest);
            assertThat(s.conversations().members(c)).filteredOn(m -> m.accountId() == ann)
                    .extracting(m -> m.deliveredUpTo() + "/" + m.readUpTo()).containsExactly(newest + "/" + newest);
            assertThat(s.conversations().members(List.of(c)).get(c)).filteredOn(m -> m.accountId() == ann)
                    .extracting(m -> m.deliveredUpTo() + "/" + m.readUpTo()).containsExactly(newest + "/" + newest);
            assertThat(s.conversations().members(c)).filteredOn(m -> m.accountId() == bob)
                    .extracting(m -> m.readUpTo()).as("the others' marks stay").containsExactly(joined);
            // Up to the checkpoint: written then, with every entry before it.
            for (int from = 4; s.messages().lastSeq(c) < joined + MvStoreMessageLog.INDEX_EVERY + 10; from += 500) {
                s.messages().append(batch(c, ann, from, 500));
            }
            long atCheckpoint = Long.parseLong(sqlMarks(s, c, ann).split("/")[0]);
            assertThat(atCheckpoint).as("written at the checkpoint").isGreaterThan(newest)
                    .isLessThan(s.messages().lastSeq(c));
            newest = s.messages().lastSeq(c);
        }
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(sqlMarks(s, c, ann)).as("written at close").isEqualTo(newest + "/" + newest);
        }
    }

    /** message-log=auto (the default): a new data directory gets the log, and keeps it at every later start. */
    @Test
    void autoPutsANewDataDirectoryOnTheLogAndKeepsItThere() {
        long ann;
        long c;
        try (H2Storage s = H2Storage.open(dir, false)) {
            assertThat(s.messageLog()).isEqualTo(H2Storage.MessageLog.MVSTORE);
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            s.messages().append(batch(c, ann, 1, 3));
        }
        assertThat(dir.resolve(MvStoreMessageLog.FILE)).exists();
        try (H2Storage s = H2Storage.open(dir, false)) {
            assertThat(s.messageLog()).isEqualTo(H2Storage.MessageLog.MVSTORE);
            assertThat(s.messages().lastSeq(c)).isEqualTo(3);
            assertThat(s.messages().append(List.of(text(c, ann, "m2", "again"))).get(0).duplicate()).isTrue();
        }
    }

    /**
     * message-log=auto on a data directory whose messages are in the SQL table (written before the log was the
     * default): they stay there, nothing is moved and no log file is made; message-log=mvstore moves them when asked.
     */
    @Test
    void autoLeavesAnExistingDataDirectorysMessagesInSqlUntilAskedToMoveThem() {
        long ann;
        long c;
        try (H2Storage s = H2Storage.open(dir, false, false)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            s.messages().append(batch(c, ann, 1, 3));
        }
        try (H2Storage s = H2Storage.open(dir, false)) {
            assertThat(s.messageLog()).isEqualTo(H2Storage.MessageLog.SQL);
            assertThat(s.messages().lastSeq(c)).isEqualTo(3);
            s.messages().append(batch(c, ann, 4, 1));
        }
        assertThat(dir.resolve(MvStoreMessageLog.FILE)).doesNotExist();
        try (H2Storage s = H2Storage.open(dir, false, H2Storage.MessageLog.MVSTORE,
                MvStoreMessageLog.DEFAULT_FILL_RATE)) {
            assertThat(s.messageLog()).isEqualTo(H2Storage.MessageLog.MVSTORE);
            assertThat(s.messages().after(c, 0, 10)).extracting(StoredMessage::text)
                    .containsExactly("text 1", "text 2", "text 3", "text 4");
        }
        try (H2Storage s = H2Storage.open(dir, false)) {
            assertThat(s.messageLog()).as("once moved, auto keeps the log").isEqualTo(H2Storage.MessageLog.MVSTORE);
            assertThat(s.messages().lastSeq(c)).isEqualTo(4);
        }
    }

    /**
     * A data directory that has accounts and conversations but no message yet (a start of an older server, or a first
     * start stopped before the log was made) has nothing to move: auto gives it the log.
     */
    @Test
    void autoGivesTheLogToADataDirectoryWithoutMessages() {
        long c;
        try (H2Storage s = H2Storage.open(dir, false, false)) {
            long ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            c = s.conversations().createGroup("g", ann, List.of(), 1).id();
        }
        try (H2Storage s = H2Storage.open(dir, false)) {
            assertThat(s.messageLog()).isEqualTo(H2Storage.MessageLog.MVSTORE);
            assertThat(s.conversations().find(c)).isPresent();
        }
        assertThat(dir.resolve(MvStoreMessageLog.FILE)).exists();
    }

    /**
     * The log without the SQL database beside it (copied or restored in part) is refused whatever the setting, and
     * left as it was: opening would make an empty database, and the log drops the entries of conversations SQL lacks.
     */
    @Test
    void aLogWithoutItsDatabaseIsRefusedAndLeftAsItWas() throws Exception {
        try (H2Storage s = H2Storage.open(dir, false)) {
            long ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            long c = s.conversations().createGroup("g", ann, List.of(), 1).id();
            s.messages().append(batch(c, ann, 1, 3));
        }
        Files.delete(dir.resolve(H2Storage.DATABASE_FILE));
        byte[] log = Files.readAllBytes(dir.resolve(MvStoreMessageLog.FILE));
        for (H2Storage.MessageLog setting : H2Storage.MessageLog.values()) {
            assertThatThrownBy(() -> H2Storage.open(dir, false, setting, MvStoreMessageLog.DEFAULT_FILL_RATE))
                    .as(setting.setting()).isInstanceOf(StorageException.class)
                    .hasMessageContaining(setting == H2Storage.MessageLog.SQL ? "message-log=mvstore or auto"
                            : "restore both from a backup");
        }
        assertThat(Files.readAllBytes(dir.resolve(MvStoreMessageLog.FILE))).isEqualTo(log);
        assertThat(dir.resolve(H2Storage.DATABASE_FILE)).doesNotExist();
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

    /**
     * The log's file stays within a bound of its live data however many commits wrote it (#17: it grew 7-10 times
     * its content). Every commit writes a new chunk and leaves most of the last one dead; many small batches are the
     * worst case. fsync on, as the server runs: a chunk without live pages is reused at once. The live data is what
     * an offline copy of the closed file holds (MVStore copying only the live pages).
     */
    @Test
    void theFileStaysWithinABoundOfItsLiveDataOverManyCommits() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve(MvStoreMessageLog.FILE);
        long largest = 0;
        try (H2Storage s = H2Storage.open(data, true, true)) {
            long ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            long[] groups = new long[50];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = s.conversations().createGroup("g" + i, ann, List.of(), 1).id();
            }
            int n = 0;
            for (int b = 0; b < FILE_TEST_BATCHES; b++) {
                int size = b % 10 == 9 ? 100 : 10;
                List<Draft> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++, n++) {
                    batch.add(text(groups[n % groups.length], ann, ClientIds.next(), "message " + n
                            + " of the file size test, about as long as a short chat line"));
                }
                s.messages().append(batch);
                largest = Math.max(largest, Files.size(file));
            }
        }
        Path live = dir.resolve("live.mvlog");
        MVStore.compact(file.toString(), live.toString(), false, null);
        long liveBytes = Files.size(live);
        assertThat(largest).as("largest file %d bytes, live data %d bytes", largest, liveBytes)
                .isLessThanOrEqualTo(FILE_BOUND * liveBytes + (1 << 20));
    }

    /** Batches written by the file size test: nine of 10 messages, then one of 100. */
    private static final int FILE_TEST_BATCHES = 2_000;
    /** The file's bound, as a multiple of its live data (plus 1 MiB). */
    private static final int FILE_BOUND = 2;

    /**
     * Schema migrations run before the log opens (H2Storage.open), so the ones that read the SQL messages table (V12's
     * edits, V14's group creators, V16's SYSTEM lines) read it while it holds every message: a data directory meets
     * the log only through a server that has them all, and the first open imports the table after them. Once the log
     * holds the messages the table is stale: no later migration may use it.
     */
    @Test
    void noMigrationAfterTheLogArrivedUsesTheSqlMessagesTable() {
        int lastBefore = Migrations.SCRIPTS.indexOf("V16__system_lines_not_unread.sql");
        assertThat(lastBefore).isPositive();
        for (String script : Migrations.SCRIPTS.subList(lastBefore + 1, Migrations.SCRIPTS.size())) {
            for (String dialect : Migrations.DIALECTS) {
                for (String statement : Migrations.statements(Migrations.read(dialect, script))) {
                    assertThat(statement.toLowerCase(java.util.Locale.ROOT))
                            .as("%s (%s) must not use the messages table: with message-log=mvstore it is stale",
                                    script, dialect)
                            .doesNotContainPattern("\\bmessages\\b");
                }
            }
        }
    }

    /**
     * A log that a server without schema V14 had already filled: V14 then read a stale messages table and left the
     * groups created since without a creator. The log records them from its SYSTEM entries, once.
     */
    @Test
    void groupsThatV14CouldNotSeeGetTheirCreatorFromTheLog() {
        long ann;
        long bob;
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            bob = s.accounts().create("bob", "Bob", "h", false, 1).id();
            long made = s.conversations().createGroup("made", ann, List.of(bob), 1).id();
            long quiet = s.conversations().createGroup("quiet", ann, List.of(), 1).id();
            s.messages().append(List.of(text(made, bob, "b1", "before the line"),
                    new Draft(made, ann, "", Kind.SYSTEM, 2, "ann created the group", new byte[0]),
                    new Draft(made, bob, "", Kind.SYSTEM, 3, "bob renamed the group", new byte[0]),
                    text(quiet, ann, "q1", "no SYSTEM line here")));
            // What V14 left on such a data directory: nobody created anything.
            s.jdbc().update("UPDATE conversations SET created_by = 0", ps -> {
            });
        }
        try (MVStore raw = new MVStore.Builder().fileName(dir.resolve(MvStoreMessageLog.FILE).toString()).open()) {
            raw.openMap("meta", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE)
                    .valueType(LongDataType.INSTANCE)).remove("creators"); // a log from before this fill
            raw.commit();
        }
        try (H2Storage s = H2Storage.open(dir, false, true)) {
            assertThat(s.conversations().groupsCreatedBy(ann, 0)).isEqualTo(1);
            assertThat(s.conversations().groupsCreatedBy(bob, 0)).isZero();
        }
    }
}
