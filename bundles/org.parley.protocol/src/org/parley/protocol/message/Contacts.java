package org.parley.protocol.message;

import java.util.List;

import org.parley.protocol.codec.WireEnum;

/** User search, contact requests, the contact list and presence. */
public final class Contacts {

    /** Presence of a user as seen by the contacts. */
    public enum Presence implements WireEnum {
        OFFLINE(0), ONLINE(1), AWAY(2);

        private final int code;

        Presence(int code) {
            this.code = code;
        }

        @Override
        public int wireCode() {
            return code;
        }
    }

    /** A user as others see it. Presence and status text are only shown to contacts (OFFLINE and "" otherwise). */
    public record UserInfo(String user, String displayName, Presence presence, String statusText) {
    }

    /** Finds users whose name or display name contains {@code query}. Answer: {@link UserList}. */
    public record SearchUsers(String query, int limit) implements Message {
    }

    /** Answer to SearchUsers. */
    public record UserList(List<UserInfo> users) implements Message {
    }

    /** Asks for the caller's contacts and pending requests. Answer: {@link ContactList}. */
    public record ListContacts() implements Message {
    }

    /** The caller's contacts, the requests others sent to the caller, and the caller's own pending requests. */
    public record ContactList(List<UserInfo> contacts, List<UserInfo> incoming, List<UserInfo> outgoing)
            implements Message {
    }

    /**
     * Asks {@code user} to become a contact. Answer: Ok. The user receives {@link ContactRequested}; if that
     * user had already asked the caller, both become contacts at once and receive {@link ContactAdded}.
     */
    public record RequestContact(String user) implements Message {
    }

    /** Accepts or declines a request from {@code user}. Answer: Ok. */
    public record AnswerContact(String user, boolean accept) implements Message {
    }

    /**
     * Removes {@code user} from the contacts (both ways), or cancels the caller's pending request to {@code user}.
     * Answer: Ok.
     */
    public record RemoveContact(String user) implements Message {
    }

    /** Sets the caller's presence and status text, pushed to the caller's contacts. Answer: Ok. */
    public record SetPresence(Presence presence, String statusText) implements Message {
    }

    /** Push: {@code from} asks to become a contact of the receiver. */
    public record ContactRequested(UserInfo from) implements Message {
    }

    /** Push: {@code contact} is now a contact of the receiver (request accepted, by either side). */
    public record ContactAdded(UserInfo contact) implements Message {
    }

    /** Push: the receiver's request to {@code user} was declined. */
    public record ContactDeclined(String user) implements Message {
    }

    /**
     * Push: {@code user} is no longer a contact of the receiver, or a pending request between them was cancelled.
     */
    public record ContactRemoved(String user) implements Message {
    }

    /** Push: a contact's presence or status text changed. */
    public record PresenceChanged(String user, Presence presence, String statusText) implements Message {
    }

    /**
     * The caller's new display name ("Ann Archer"; blank: the user name), at most 100 characters, nothing invisible
     * nor direction-changing (protocol version 2). A directory account's name comes from the directory: refused
     * with {@code FORBIDDEN}. Answer: {@code Ok}; the caller's contacts, the members of the caller's conversations,
     * the other party of a pending contact request and the caller's own connections get {@link DisplayNameChanged}.
     */
    public record SetDisplayName(String displayName) implements Message {
    }

    /**
     * Push (protocol version 2): {@code user}'s display name is now {@code displayName}, which they set themselves
     * or the organization's directory gave them. Sent to their contacts, the members of their conversations, the
     * other party of a pending contact request, and their own connections.
     */
    public record DisplayNameChanged(String user, String displayName) implements Message {
    }

    private Contacts() {
    }
}
