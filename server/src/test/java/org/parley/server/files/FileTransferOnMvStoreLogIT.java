package org.parley.server.files;

import org.parley.server.testing.ParleyServerExtension;

/** {@link FileTransferIT}'s tests with the messages in H2's MVStore log (message-log=mvstore) instead of the SQL table. */
class FileTransferOnMvStoreLogIT extends FileTransferIT {

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.with("--message-log", "mvstore");
    }
}
