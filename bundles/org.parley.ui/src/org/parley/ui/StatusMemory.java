package org.parley.ui;

import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Contacts;

/**
 * A custom status (away, with its text) survives its owner's restart: it is kept in the preferences per user and
 * server, and told to the server again at every sign-in of this client (the server starts each session as
 * available).
 */
public final class StatusMemory {

    private static final String NODE = "status";

    private StatusMemory() {
    }

    private static String key(ParleyClient c, String user) {
        return user + "@" + c.config().host() + ":" + c.config().port();
    }

    /** Sets the status and remembers it for the next sign-in (available with no text forgets it). */
    public static void set(ParleyClient c, Contacts.Presence presence, String text) {
        var node = Preferences.node().node(NODE);
        if (presence == Contacts.Presence.ONLINE && text.isEmpty()) {
            node.remove(key(c, c.user()));
        } else {
            node.put(key(c, c.user()), presence.name() + "\t" + text);
        }
        Preferences.save();
        c.setPresence(presence, text);
    }

    /** Tells the server the remembered status now and after every later sign-in (reconnects included). */
    public static void restore(ParleyClient c) {
        apply(c, c.user());
        c.addListener(new ClientListener() {
            @Override
            public void loggedIn(Accounts.LoggedIn session) {
                apply(c, session.user());
            }
        });
    }

    private static void apply(ParleyClient c, String user) {
        if (user == null) {
            return;
        }
        String saved = Preferences.node().node(NODE).get(key(c, user), null);
        if (saved == null) {
            return;
        }
        int tab = saved.indexOf('\t');
        try {
            Contacts.Presence p = Contacts.Presence.valueOf(tab < 0 ? saved : saved.substring(0, tab));
            c.setPresence(p, tab < 0 ? "" : saved.substring(tab + 1));
        } catch (IllegalArgumentException e) {
            Preferences.node().node(NODE).remove(key(c, user)); // written by another version: forget it
        }
    }
}
