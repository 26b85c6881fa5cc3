package org.parley.server.files;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link FileTransferIT}'s tests over the wire with the server's data in PostgreSQL (storage=postgresql): files uploaded, downloaded, stored once per content and kept over a restart. */
class FileTransferOnPostgresqlIT extends FileTransferIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
