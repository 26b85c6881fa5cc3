package org.parley.server.storage;

import org.parley.server.accounts.AccountStore;
import org.parley.server.admin.AuditStore;
import org.parley.server.contacts.ContactStore;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.files.FileStore;
import org.parley.server.messages.MessageStore;
import org.parley.server.reactions.ReactionStore;

/** An open store of Parley's data. Thread-safe; every store method is its own transaction. */
public interface Storage extends AutoCloseable {

    AccountStore accounts();

    ContactStore contacts();

    ConversationStore conversations();

    MessageStore messages();

    FileStore files();

    AuditStore audit();

    ReactionStore reactions();

    /** Failed password logins counted for every node sharing this storage (several nodes; schema V13). */
    org.parley.server.accounts.LoginFailures loginFailures();

    /** Flushes and closes; the stores must not be used afterwards. */
    @Override
    void close();
}
