package org.parley.server.storage;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.accounts.Account;
import org.parley.server.conversations.Member;
import org.parley.server.messages.MessageStore.Draft;

/**
 * What every storage contract class shares: a fresh storage per test, opened by the adapter's factory on a temp
 * directory, and small builders. An adapter's test subclasses each {@code StorageContract*} class and implements
 * only {@link #open(Path)}.
 */
public abstract class StorageContractSupport {

    @TempDir
    protected Path dir;

    protected Storage storage;

    /** Opens the adapter's storage; called again by tests that reopen it, after closing the previous one. */
    protected abstract Storage open(Path dataDir);

    @BeforeEach
    void openStorage() {
        storage = open(dir);
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    protected void reopen() {
        storage.close();
        storage = open(dir);
    }

    protected Account account(String name) {
        return storage.accounts().create(name, name.toUpperCase(), "$argon2id$hash", false, 1000);
    }

    protected static Draft text(long conversation, long sender, String clientId, String text) {
        return new Draft(conversation, sender, clientId, Kind.TEXT, 5000, text, new byte[0]);
    }

    /** The stored marks of one member (fails if it is not a member). */
    protected Member member(long conversationId, long accountId) {
        return storage.conversations().members(conversationId).stream().filter(m -> m.accountId() == accountId)
                .findFirst().orElseThrow(() -> new AssertionError(accountId + " is not a member of " + conversationId));
    }
}
