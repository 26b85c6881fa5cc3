package org.parley.server.messages;

import org.parley.server.testing.ParleyServerExtension;

/** {@link RepliesIT}'s tests with the messages in H2's MVStore log (message-log=mvstore) instead of the SQL table. */
class RepliesOnMvStoreLogIT extends RepliesIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }
}
