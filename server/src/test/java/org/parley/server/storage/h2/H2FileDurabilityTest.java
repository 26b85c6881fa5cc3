package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.storage.jdbc.DiskBlobs;

/**
 * An upload's chunks, in files (DiskBlobs), under {@code kill -9}: a child JVM appends until it is killed; on reopen
 * the upload holds at least every acknowledged byte, a whole number of groups (all of an append or none), exactly
 * the bytes sent, and goes on from there, whatever tail the kill left in the file.
 */
class H2FileDurabilityTest {

    private static final int KILL_AFTER = 60;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync={0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedChunkSurvivesAKill(boolean fsync) throws Exception {
        Path data = dir.resolve("data");
        List<String> lines = KilledChild.runUntilAcked(dir, KILL_AFTER, UploadUntilKilled.class, data.toString(),
                String.valueOf(fsync)).lines();
        long acked = lines.stream().filter(l -> l.startsWith("ACK ")).mapToLong(l -> Long.parseLong(l.substring(4)
                .strip())).max().orElse(0);
        assertThat(acked).as("the child's output: %s", lines).isGreaterThanOrEqualTo((long) KILL_AFTER
                * UploadUntilKilled.PIECES * UploadUntilKilled.CHUNK);
        long group = (long) UploadUntilKilled.PIECES * UploadUntilKilled.CHUNK;
        try (H2Storage reopened = H2Storage.open(data, fsync)) {
            Upload u = reopened.files().upload("victim").orElseThrow();
            assertThat(u.received()).as("every acknowledged byte").isGreaterThanOrEqualTo(acked);
            assertThat(u.received() % group).as("an append is all or nothing").isZero();
            Path file = ((DiskBlobs) reopened.fileContent()).path(u.blobId());
            assertThat(Files.size(file)).as("the bytes counted are in the file").isGreaterThanOrEqualTo(u.received());
            long chunks = u.received() / UploadUntilKilled.CHUNK;
            for (long n = 0; n < chunks; n++) {
                assertThat(reopened.files().read(u.blobId(), n * UploadUntilKilled.CHUNK, UploadUntilKilled.CHUNK))
                        .as("chunk %d", n).isEqualTo(UploadUntilKilled.chunk(n));
            }
            byte[] next = UploadUntilKilled.chunk(chunks);
            assertThat(reopened.files().append("victim", u.received(), next, 3))
                    .isEqualTo(u.received() + next.length);
            assertThat(Files.size(file)).as("no tail left behind").isEqualTo(u.received() + next.length);
            assertThat(reopened.files().read(u.blobId(), u.received(), next.length)).isEqualTo(next);
        }
    }
}
