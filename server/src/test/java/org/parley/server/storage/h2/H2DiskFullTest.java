package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@link StorageFullException}, and after making room the reopened database holds every acknowledged message and
 * nothing of the failed batch.
 */
class H2DiskFullTest {

    @RegisterExtension
    final SmallDisk disk = new SmallDisk("3m");

    @ParameterizedTest(name = "mvstore log={0}")
    @ValueSource(booleans = {false, true})
    void aFullDiskIsReportedAndLosesNothingAcknowledged(boolean mvstoreLog) throws Exception {
        Path data = disk.path().resolve("data");
        long conversation;
        long ann;
        long acked = 0;
        StorageException failure = null;
        byte[] blob = new byte[32 * 1024];
        new java.util.Random(1).nextBytes(blob); // incompressible
        H2Storage storage = H2Storage.open(data, true, mvstoreLog);
        try {
            ann = storage.accounts().create("ann", "Ann", "h", false, 1).id();
            conversation = storage.conversations().createGroup("g", ann, List.of(), 1).id();
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
        } finally {
            try {
                storage.close();
            } catch (RuntimeException ignored) {
                // closing a database that could not write may fail as well; the reopen below is what counts
            }
        }
        assertThat(failure).as("the disk filled up").isNotNull();
        assertThat(failure).isInstanceOf(StorageFullException.class);
        assertThat(acked).isPositive();

        assertThat(disk.grow("64m")).isTrue();
        try (H2Storage reopened = H2Storage.open(data, true, mvstoreLog)) {
            long last = reopened.messages().lastSeq(conversation);
            assertThat(last).isEqualTo(acked);
            List<StoredMessage> all = reopened.messages().after(conversation, 0, 10_000);
            assertThat(all).hasSize((int) acked);
            assertThat(all.get(all.size() - 1).attachments()).isEqualTo(blob);
            assertThat(reopened.messages().append(List.of(new Draft(conversation, ann, "after", Kind.TEXT, 0, "ok",
                    new byte[0]))).get(0).message().seq()).isEqualTo(acked + 1);
        }
    }
}
