package org.parley.server.contacts;

import org.parley.protocol.message.Contacts.Presence;

/**
 * What a contact sees of an account's presence. A port of this package that the presence service implements, so
 * that contacts do not depend on presence (presence depends on contacts: it tells an account's contacts).
 */
public interface PresenceLookup {

    /** What contacts see of an account. */
    record State(Presence presence, String statusText) {
    }

    /** What contacts see of {@code accountId} now. */
    State stateOf(long accountId);
}
