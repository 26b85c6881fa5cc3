package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;

/**
 * An acknowledged append survives a killed server process (kill -9): a child JVM appends batches and prints each
 * acknowledged seq; it is killed mid-stream; the reopened database must hold every acknowledged message, and the
 * transaction that was in flight must be all-or-nothing (gap-free seqs, last_seq matching the newest message).
 * Without fsync the guarantee comes from WRITE_DELAY=0 alone (each commit is written to the file, i.e. to the
 * OS, before it returns); see docs/decisions/h2-durability.md. Run with the messages in the SQL table and in the
 * MVStore log (message-log=mvstore: MVStore's commit writes the chunk, its sync forces it; the senders' marks,
 * applied to SQL after the log's commit, are replayed from the log at open).
 */
class H2DurabilityTest {

    private static final int BATCH = 20;
    private static final int KILL_AFTER_BATCHES = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync={0}, mvstore log={1}")
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedMessageSurvivesAKill(boolean fsync, boolean mvstoreLog) throws Exception {
        KilledChild.Outcome child = KilledChild.runUntilAcked(dir, KILL_AFTER_BATCHES, AppendUntilKilled.class,
                dir.resolve("data").toString(), String.valueOf(fsync), String.valueOf(BATCH),
                String.valueOf(mvstoreLog));
        List<String> lines = child.lines();
        assertThat(KilledChild.acks(lines)).as("the child acknowledged enough batches before dying; its output: %s", lines)
                .isGreaterThanOrEqualTo(KILL_AFTER_BATCHES);
        assertThat(child.exitValue()).as("the child was killed, it did not exit by itself").isNotZero();
        long conversation = -1;
        long acked = 0;
        for (String line : lines) {
            if (line.startsWith("READY ")) {
                conversation = Long.parseLong(line.substring(6));
            } else if (line.startsWith("ACK ")) {
                long seq = Long.parseLong(line.substring(4).strip());
                assertThat(seq).isEqualTo(acked + BATCH);
                acked = seq;
            }
        }

        try (H2Storage reopened = H2Storage.open(dir.resolve("data"), fsync, mvstoreLog)) {
            long last = reopened.messages().lastSeq(conversation);
            assertThat(last).as("every acknowledged seq is stored").isGreaterThanOrEqualTo(acked);
            assertThat(last % BATCH).as("the batch in flight is all or nothing").isZero();
            List<StoredMessage> all = reopened.messages().after(conversation, 0, (int) last + 10);
            assertThat(all).extracting(StoredMessage::seq)
                    .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
            for (StoredMessage m : all) {
                assertThat(m.clientMessageId()).isEqualTo("k" + m.seq());
                assertThat(m.text()).isEqualTo("t" + m.seq());
            }
            long ann = reopened.accounts().findByName("ann").orElseThrow().id();
            assertThat(reopened.conversations().members(conversation).get(0).readUpTo()).isEqualTo(last);
            // After recovery the sequence continues and resends of acknowledged ids are still duplicates.
            List<AppendResult> next = reopened.messages().append(List.of(
                    new Draft(conversation, ann, "k1", Kind.TEXT, 0, "again", new byte[0]),
                    new Draft(conversation, ann, "after-crash", Kind.TEXT, 0, "new", new byte[0])));
            assertThat(next.get(0).duplicate()).isTrue();
            assertThat(next.get(1).message().seq()).isEqualTo(last + 1);
        }
    }
}
