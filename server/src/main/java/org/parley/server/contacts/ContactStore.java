package org.parley.server.contacts;

import java.util.List;

/** Storage port of the contacts feature. Contacts are symmetric: a pair is stored and removed both ways. */
public interface ContactStore {

    /** Records that {@code from} asked {@code to}; asking again is a no-op. */
    void addRequest(long from, long to, long createdAt);

    void removeRequest(long from, long to);

    boolean hasRequest(long from, long to);

    /** Who asked {@code accountId}. */
    List<Long> requestsTo(long accountId);

    /** Whom {@code accountId} asked. */
    List<Long> requestsFrom(long accountId);

    /** Makes {@code a} and {@code b} contacts of each other and drops pending requests between them. */
    void addContacts(long a, long b);

    void removeContacts(long a, long b);

    List<Long> contactsOf(long accountId);

    boolean areContacts(long a, long b);
}
