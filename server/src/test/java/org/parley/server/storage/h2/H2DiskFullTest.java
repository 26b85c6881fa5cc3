package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.SmallDisk;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;
import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;

/**
 * A full disk: the data directory is a small tmpfs mounted for this test (so it runs only where the test may mount,
 * as root on Linux; elsewhere it is skipped). Appending until the disk is full must fail with
 * {@link StorageFullException}, and so must every append while it stays full; once there is room again the same,
 * running storage takes messages again without a restart (the SQL adapter's pool reopens H2's database, the MVStore
 * log reopens its file), and the running and the reopened storage hold every acknowledged message and nothing of
 * the failed batches.
 */
class H2DiskFullTest {

    @RegisterExtension
    final SmallDisk disk = new SmallDisk("3m");

    @ParameterizedTest(name = "mvstore log={0}")
    @ValueSource(booleans = {false, true})
    void aFullDiskIsReportedLosesNothingAndTheStorageRecoversOnceThereIsRoom(boolean mvstoreLog) throws Exception {
        Path data = disk.path().resolve("data");
        byte[] blob = new byte[32 * 1024];
        new java.util.Random(1).nextBytes(blob); // incompressible
        long ann;
        long conversation;
        long acked = 0;
        try (H2Storage storage = H2Storage.open(data, true, mvstoreLog)) {
            ann = storage.accounts().create("ann", "Ann", "h", false, 1).id();
            conversation = storage.conversations().createGroup("g", ann, List.of(), 1).id();
            StorageException failure = null;
            for (int n = 1; n < 10_000 && failure == null; n += 4) {
                List<Draft> batch = new ArrayList<>();
                for (int i = n; i < n + 4; i++) {
                    batch.add(new Draft(conversation, ann, "k" + i, Kind.FILE, i, "t" + i, blob));
                }
                try {
                    acked = storage.messages().append(batch).get(3).message().seq();
                } catch (StorageException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the disk filled up").isNotNull();
            assertThat(failure).isInstanceOf(StorageFullException.class);
            assertThat(acked).isPositive();
            // The disk stays full (what the failed write left free is filled up): a send either finds room in the
            // database's or the log's file (space they freed inside) and is stored, or fails as a full disk.
            Path filler = disk.path().resolve("filler");
            fillUp(filler);
            for (int i = 0; i < 3; i++) {
                try {
                    acked = storage.messages().append(List.of(new Draft(conversation, ann, "full" + i, Kind.FILE, 0,
                            "no room", blob))).get(0).message().seq();
                } catch (StorageException e) {
                    assertThat(e).as("a clear error while the disk stays full")
                            .isInstanceOf(StorageFullException.class);
                }
            }

            Files.delete(filler);
            assertThat(disk.grow("64m")).isTrue();
            Long after = null;
            for (int attempt = 0; attempt < 40 && after == null; attempt++) {
                try {
                    after = storage.messages().append(List.of(new Draft(conversation, ann, "after", Kind.TEXT, 0,
                            "ok", new byte[0]))).get(0).message().seq();
                } catch (StorageException e) {
                    // the SQL adapter: a pooled session of the database that H2 closed; the next one reopens it
                }
            }
            assertThat(after).as("the running storage takes messages again without a restart")
                    .isEqualTo(acked + 1);
            List<StoredMessage> running = storage.messages().after(conversation, 0, 10_000);
            assertThat(running).hasSize((int) acked + 1);
            assertThat(running.get((int) acked - 1).attachments()).isEqualTo(blob);
        }

        try (H2Storage reopened = H2Storage.open(data, true, mvstoreLog)) {
            assertThat(reopened.messages().lastSeq(conversation)).isEqualTo(acked + 1);
            List<StoredMessage> all = reopened.messages().after(conversation, 0, 10_000);
            assertThat(all).hasSize((int) acked + 1);
            assertThat(all.get((int) acked - 1).attachments()).isEqualTo(blob);
            assertThat(all.get((int) acked).text()).isEqualTo("ok");
            assertThat(reopened.messages().append(List.of(new Draft(conversation, ann, "again", Kind.TEXT, 0, "ok",
                    new byte[0]))).get(0).message().seq()).isEqualTo(acked + 2);
        }
    }

    /** Writes {@code filler} until the disk is full. */
    private static void fillUp(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
