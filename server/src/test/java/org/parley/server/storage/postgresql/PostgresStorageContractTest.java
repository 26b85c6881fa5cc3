package org.parley.server.storage.postgresql;

import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.storage.Storage;
import org.parley.server.storage.StorageContract;
import org.parley.server.storage.StorageContractAccounts;
import org.parley.server.storage.StorageContractAdmin;
import org.parley.server.storage.StorageContractConversations;
import org.parley.server.storage.StorageContractFiles;
import org.parley.server.storage.StorageContractLoginFailures;
import org.parley.server.storage.StorageContractMessages;
import org.parley.server.storage.StorageContractPolicy;
import org.parley.server.storage.StorageContractReactions;
import org.parley.server.testing.PostgresExtension;

/**
 * The PostgreSQL adapter against every class of the storage contract (the same classes H2StorageContractTest
 * runs), each test on a fresh database of a real PostgreSQL server; reopening a test's storage finds its database.
 */
class PostgresStorageContractTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static Storage postgresql(Path dataDir) {
        return PostgresStorage.open(PG.databaseFor(dataDir), PostgresExtension.USER, PG.password(), 4);
    }

    @Nested
    class Core extends StorageContract {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Accounts extends StorageContractAccounts {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Policy extends StorageContractPolicy {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Conversations extends StorageContractConversations {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Messages extends StorageContractMessages {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Files extends StorageContractFiles {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Admin extends StorageContractAdmin {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class Reactions extends StorageContractReactions {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }

    @Nested
    class LoginFailures extends StorageContractLoginFailures {
        @Override
        protected Storage open(Path dataDir) {
            return postgresql(dataDir);
        }
    }
}
