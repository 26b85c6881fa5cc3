package org.parley.server.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Contacts.Presence;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountPolicy;
import org.parley.server.accounts.AccountStore;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;
import org.parley.server.common.OnlineUsers;

/**
 * User search (the whole organization, or with {@code directory=contacts} only contacts and people who share a
 * conversation), contact requests and the contact list. Presence is only ever shown for contacts.
 */
public final class ContactService {

    private static final int MAX_SEARCH = 50;

    private final AccountStore accounts;
    private final ContactStore contacts;
    private final OnlineUsers online;
    private final PresenceLookup presence;
    private final AccountPolicy.Directory directory;
    private volatile ContactLimits limits = ContactLimits.defaults();

    public ContactService(AccountStore accounts, ContactStore contacts, OnlineUsers online, PresenceLookup presence,
            AccountPolicy.Directory directory) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.online = online;
        this.presence = presence;
        this.directory = directory;
    }

    /** The limits on pending contact requests (set once at start-up; the defaults until then). */
    public void setLimits(ContactLimits limits) {
        this.limits = limits;
    }

    public void register(Handlers h) {
        h.on(Contacts.SearchUsers.class, (c, r) -> done(search(c, r)));
        h.on(Contacts.ListContacts.class, (c, r) -> done(list(c)));
        h.on(Contacts.RequestContact.class, (c, r) -> done(request(c, r.user())));
        h.on(Contacts.AnswerContact.class, (c, r) -> done(answer(c, r.user(), r.accept())));
        h.on(Contacts.RemoveContact.class, (c, r) -> done(remove(c, r.user())));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private Contacts.UserInfo info(Account a, boolean contact) {
        if (!contact) {
            return new Contacts.UserInfo(a.name(), a.displayName(), Presence.OFFLINE, "");
        }
        PresenceLookup.State s = presence.stateOf(a.id());
        return new Contacts.UserInfo(a.name(), a.displayName(), s.presence(), s.statusText());
    }

    private Account user(String name) {
        String n = Names.canonical(name);
        return accounts.findByName(n).filter(a -> !a.disabled())
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "no user " + Names.quoted(n)));
    }

    private Contacts.UserList search(Caller caller, Contacts.SearchUsers r) {
        String q = Names.text(r.query(), 100, "the search");
        int limit = Math.max(1, Math.min(MAX_SEARCH, r.limit() <= 0 ? 20 : r.limit()));
        List<Contacts.UserInfo> out = new ArrayList<>();
        // directory=contacts: only contacts and people who share a conversation with the caller.
        List<Account> found = directory == AccountPolicy.Directory.CONTACTS
                ? accounts.searchKnown(caller.accountId(), q, limit + 1) : accounts.search(q, limit + 1);
        for (Account a : found) {
            if (a.id() != caller.accountId() && out.size() < limit) {
                out.add(info(a, contacts.areContacts(caller.accountId(), a.id())));
            }
        }
        return new Contacts.UserList(out);
    }

    private Contacts.ContactList list(Caller caller) {
        long me = caller.accountId();
        List<Long> contactIds = contacts.contactsOf(me);
        List<Long> incoming = contacts.requestsTo(me);
        List<Long> outgoing = contacts.requestsFrom(me);
        List<Long> all = new ArrayList<>(contactIds);
        all.addAll(incoming);
        all.addAll(outgoing);
        Map<Long, Account> byId = accounts.findByIds(all);
        return new Contacts.ContactList(infos(contactIds, byId, true), infos(incoming, byId, false),
                infos(outgoing, byId, false));
    }

    private List<Contacts.UserInfo> infos(List<Long> ids, Map<Long, Account> byId, boolean contact) {
        List<Contacts.UserInfo> out = new ArrayList<>();
        for (long id : ids) {
            Account a = byId.get(id);
            if (a != null) {
                out.add(info(a, contact));
            }
        }
        out.sort((x, y) -> x.user().compareTo(y.user()));
        return out;
    }

    private Session.Ok request(Caller caller, String name) {
        Account other = user(name);
        long me = caller.accountId();
        if (other.id() == me) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "you cannot add yourself as a contact");
        }
        if (contacts.areContacts(me, other.id())) {
            throw new ParleyException(ErrorCode.CONFLICT, other.name() + " is already a contact");
        }
        if (contacts.hasRequest(other.id(), me)) {
            befriend(me, other.id()); // they had asked already: asking back accepts
            return new Session.Ok();
        }
        if (contacts.hasRequest(me, other.id())) {
            throw new ParleyException(ErrorCode.CONFLICT, "a request to " + other.name() + " is already pending");
        }
        requireRoomForARequest(me, other);
        contacts.addRequest(me, other.id(), System.currentTimeMillis());
        Account self = accounts.findById(me).orElseThrow();
        online.push(other.id(), new Contacts.ContactRequested(info(self, false)), null);
        return new Session.Ok();
    }

    /**
     * QUOTA_EXCEEDED when the sender has {@code max-pending-contact-requests-sent} requests waiting for an answer,
     * or the recipient {@code max-pending-contact-requests-received}: one account cannot ask everyone, and many
     * accounts cannot bury one user's requests (nor make their contact list larger than a frame). Checked before
     * the request is stored; two requests at the same moment may pass together.
     */
    private void requireRoomForARequest(long me, Account other) {
        ContactLimits l = limits;
        if (contacts.requestsFrom(me).size() >= l.maxPendingSent()) {
            throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, "you have " + l.maxPendingSent() + " contact "
                    + "requests waiting for an answer, as many as this server allows; cancel some (remove them) or "
                    + "wait for answers");
        }
        if (contacts.requestsTo(other.id()).size() >= l.maxPendingReceived()) {
            throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, other.name() + " has " + l.maxPendingReceived()
                    + " contact requests waiting for an answer, as many as this server allows; try again later");
        }
    }

    private Session.Ok answer(Caller caller, String name, boolean accept) {
        Account other = user(name);
        long me = caller.accountId();
        if (!contacts.hasRequest(other.id(), me)) {
            throw new ParleyException(ErrorCode.CONFLICT, other.name() + " has not asked you");
        }
        if (accept) {
            befriend(me, other.id());
        } else {
            contacts.removeRequest(other.id(), me);
            online.push(other.id(), new Contacts.ContactDeclined(caller.userName()), null);
        }
        return new Session.Ok();
    }

    private void befriend(long a, long b) {
        contacts.addContacts(a, b);
        Map<Long, Account> both = accounts.findByIds(List.of(a, b));
        online.push(a, new Contacts.ContactAdded(info(both.get(b), true)), null);
        online.push(b, new Contacts.ContactAdded(info(both.get(a), true)), null);
    }

    private Session.Ok remove(Caller caller, String name) {
        Account other = user(name);
        if (!contacts.areContacts(caller.accountId(), other.id())) {
            if (contacts.hasRequest(caller.accountId(), other.id())) {
                // the caller's own request, still pending: cancelled, and gone from the other's requests too
                contacts.removeRequest(caller.accountId(), other.id());
                online.push(caller.accountId(), new Contacts.ContactRemoved(other.name()), null);
                online.push(other.id(), new Contacts.ContactRemoved(caller.userName()), null);
                return new Session.Ok();
            }
            throw new ParleyException(ErrorCode.CONFLICT, other.name() + " is not a contact");
        }
        contacts.removeContacts(caller.accountId(), other.id());
        online.push(caller.accountId(), new Contacts.ContactRemoved(other.name()), null);
        online.push(other.id(), new Contacts.ContactRemoved(caller.userName()), null);
        return new Session.Ok();
    }
}
