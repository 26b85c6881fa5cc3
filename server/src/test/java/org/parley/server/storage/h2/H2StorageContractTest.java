package org.parley.server.storage.h2;

import java.nio.file.Path;

import org.parley.server.storage.Storage;
import org.parley.server.storage.StorageContract;

/** The H2 adapter against the storage contract. */
class H2StorageContractTest extends StorageContract {

    @Override
    protected Storage open(Path dataDir) {
        return H2Storage.open(dataDir, true);
    }
}
