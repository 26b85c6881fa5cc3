package org.parley.server.messages;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link EditDeleteIT}'s tests with the server's data in PostgreSQL (storage=postgresql): edits and deletions stored, fetched, resent and resynced. */
class EditDeleteOnPostgresqlIT extends EditDeleteIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
