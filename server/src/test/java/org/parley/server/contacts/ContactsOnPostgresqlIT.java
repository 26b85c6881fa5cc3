package org.parley.server.contacts;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link ContactsIT}'s tests over the wire with the server's data in PostgreSQL (storage=postgresql): contact requests, contacts and presence. */
class ContactsOnPostgresqlIT extends ContactsIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
