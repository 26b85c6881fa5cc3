package org.parley.server.admin;

import org.parley.server.testing.ParleyServerExtension;

/** {@link AdminIT}'s tests with the messages in H2's MVStore log (message-log=mvstore) instead of the SQL table. */
class AdminOnMvStoreLogIT extends AdminIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }
}
