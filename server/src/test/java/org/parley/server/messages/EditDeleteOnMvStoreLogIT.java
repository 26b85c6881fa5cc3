package org.parley.server.messages;

import org.parley.server.testing.ParleyServerExtension;

/** {@link EditDeleteIT}'s tests with the messages in H2's MVStore log (message-log=mvstore) instead of the SQL table. */
class EditDeleteOnMvStoreLogIT extends EditDeleteIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }
}
