package org.parley.server.messages;

import org.parley.server.testing.ParleyServerExtension;

/**
 * {@link EditDeleteIT}'s tests with the messages in the SQL table (message-log=sql, as data directories that hold
 * messages from before the MVStore log keep them) instead of the MVStore log (the default for a new data directory).
 */
class EditDeleteOnSqlLogIT extends EditDeleteIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "sql");
    }
}
