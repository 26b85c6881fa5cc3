package org.parley.server.ops;

import java.util.List;

import org.parley.server.testing.ParleyServerExtension;

/**
 * {@link BackupIT}'s tests with the messages in the SQL table (message-log=sql, as data directories that hold messages
 * from before the MVStore log keep them): the backup is H2's alone.
 */
class BackupOnSqlLogIT extends BackupIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "sql");
    }

    @Override
    List<String> storageFlags() {
        return List.of("--message-log", "sql");
    }
}
