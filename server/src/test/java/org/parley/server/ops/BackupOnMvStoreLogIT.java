package org.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.server.storage.h2.MvStoreMessageLog;
import org.parley.server.testing.ParleyServerExtension;

/** {@link BackupIT}'s tests with the messages in H2's MVStore log (message-log=mvstore): the backup holds the log. */
class BackupOnMvStoreLogIT extends BackupIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }

    @Override
    List<String> storageFlags() {
        return List.of("--message-log", "mvstore");
    }

    @Test
    void theLogFileIsReadableByTheServersUserOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(server.dataDir().resolve(MvStoreMessageLog.FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
