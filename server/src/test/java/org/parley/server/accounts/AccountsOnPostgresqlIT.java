package org.parley.server.accounts;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.PostgresExtension;

/** {@link AccountsIT}'s tests over the wire with the server's data in PostgreSQL (storage=postgresql): registration, login, session tokens and password changes. */
class AccountsOnPostgresqlIT extends AccountsIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Override
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension.postgresql(PG);
    }
}
