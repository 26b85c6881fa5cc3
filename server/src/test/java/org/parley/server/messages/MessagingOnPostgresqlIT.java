package org.parley.server.messages;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link MessagingIT}'s tests over the wire with the server's data in PostgreSQL (storage=postgresql): 1:1 and group messages sent, fetched, resent (idempotent) and kept over a restart. */
class MessagingOnPostgresqlIT extends MessagingIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
