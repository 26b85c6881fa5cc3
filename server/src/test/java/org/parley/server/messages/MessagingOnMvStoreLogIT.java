package org.parley.server.messages;

import org.parley.server.testing.ParleyServerExtension;

/** {@link MessagingIT}'s tests with the messages in H2's MVStore log (message-log=mvstore) instead of the SQL table. */
class MessagingOnMvStoreLogIT extends MessagingIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }
}
