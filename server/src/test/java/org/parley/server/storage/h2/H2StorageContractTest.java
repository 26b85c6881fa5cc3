package org.parley.server.storage.h2;

import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
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

/** The H2 adapter against every class of the storage contract, each test on a fresh database. */
class H2StorageContractTest {

    private static Storage h2(Path dataDir) {
        return H2Storage.open(dataDir, true, false);
    }

    @Nested
    class Core extends StorageContract {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Accounts extends StorageContractAccounts {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Policy extends StorageContractPolicy {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Conversations extends StorageContractConversations {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Messages extends StorageContractMessages {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Files extends StorageContractFiles {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Admin extends StorageContractAdmin {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class Reactions extends StorageContractReactions {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }

    @Nested
    class LoginFailures extends StorageContractLoginFailures {
        @Override
        protected Storage open(Path dataDir) {
            return h2(dataDir);
        }
    }
}
