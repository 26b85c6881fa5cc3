package org.parley.server.contacts;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountStore;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.Names;
import org.parley.server.common.OnlineUsers;
import org.parley.server.common.ParleyException;

/**
 * Display names change live (docs/protocol.md, "Display names"): a user's own choice ({@code SetDisplayName}, for
 * local accounts; a directory account's name is the directory's) and the directory's (at a login or the periodic
 * look-up, {@link org.parley.server.accounts.AccountService#onDisplayNameChanged}) are pushed as
 * {@code DisplayNameChanged} to everyone who shows the user: the contacts, the members of the user's conversations,
 * the other party of a pending contact request, and the user's own connections. Only connections of protocol
 * version 2 get it (version 1 has no such push; it learns the name from its next contact list or search).
 */
public final class DisplayNameService {

    private final AccountStore accounts;
    private final ContactStore contacts;
    /** The accounts that share a conversation with an account (the conversations feature knows them). */
    private final LongFunction<Collection<Long>> coMembers;
    private final OnlineUsers online;
    private final int maxFrameBytes;

    public DisplayNameService(AccountStore accounts, ContactStore contacts, LongFunction<Collection<Long>> coMembers,
            OnlineUsers online, int maxFrameBytes) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.coMembers = coMembers;
        this.online = online;
        this.maxFrameBytes = maxFrameBytes;
    }

    public void register(Handlers h) {
        h.on(Contacts.SetDisplayName.class, (caller, r) -> CompletableFuture.completedFuture(set(caller,
                r.displayName())));
    }

    /** The caller's own new display name (blank: the user name); the same name again changes and pushes nothing. */
    private Session.Ok set(Caller caller, String raw) {
        String shown = Names.shown(raw, Names.MAX_DISPLAY_NAME, "the display name");
        Account a = accounts.findById(caller.accountId())
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "your account no longer exists"));
        if (a.fromDirectory()) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "your display name comes from the organization's "
                    + "directory: it changes there");
        }
        String name = shown.isEmpty() ? a.name() : shown;
        if (!name.equals(a.displayName()) && accounts.setDisplayName(a.id(), name)) {
            changed(a.id(), a.name(), name);
        }
        return new Session.Ok();
    }

    /** Pushes {@code user}'s new display name to everyone who shows it (encoded once for all). */
    public void changed(long accountId, String user, String displayName) {
        Set<Long> audience = new LinkedHashSet<>();
        audience.add(accountId); // the user's other devices
        audience.addAll(contacts.contactsOf(accountId));
        audience.addAll(contacts.requestsTo(accountId));
        audience.addAll(contacts.requestsFrom(accountId));
        audience.addAll(coMembers.apply(accountId));
        EncodedFrame push = EncodedFrame.of(Frame.push(new Contacts.DisplayNameChanged(user, displayName)),
                maxFrameBytes);
        for (long id : audience) {
            online.forEachLink(id, null, link -> {
                if (link.protocolVersion() >= 2) {
                    link.push(push);
                }
            });
        }
        online.pushToPeers(audience, push); // their connections to other nodes (several nodes only)
    }
}
