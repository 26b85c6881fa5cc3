package org.parley.server.admin;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link AdminIT}'s tests over the wire with the server's data in PostgreSQL (storage=postgresql): invitations, disabling accounts and the audit log. */
class AdminOnPostgresqlIT extends AdminIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
