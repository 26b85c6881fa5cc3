package org.parley.client.core;

import java.util.List;

import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Reactions;

/**
 * Events of a {@link ParleyClient}, delivered on the client's single event thread, in order. Every method has a
 * no-op default; UI code re-posts to its display thread.
 */
public interface ClientListener {

    default void stateChanged(ConnectionState state) {
    }

    /** Logged in (first login and every automatic reconnect). */
    default void loggedIn(Accounts.LoggedIn session) {
    }

    /**
     * A message to show: pushed in real time or fetched while catching up after a reconnect. Each message arrives
     * exactly once and, per conversation, in sequence order. Includes the user's own messages sent from another
     * device; its own sends from this client arrive through {@link #messageSent}.
     */
    default void message(Chat.ChatMessage message) {
    }

    /**
     * A message was edited (here or elsewhere, pushed or met while catching up): {@code edit} is the EDIT entry,
     * whose {@code targetSeq} names the message, {@code text} is its new text and {@code timestamp} its new
     * {@code editedAt}. The entry is not a message to show; {@link #message} never gets one. In order with the
     * messages of its conversation, once.
     */
    default void messageEdited(Chat.ChatMessage edit) {
    }

    /**
     * A message was deleted for everyone: {@code deletion} is the DELETE entry, whose {@code targetSeq} names the
     * message to show as deleted from now on. As {@link #messageEdited}.
     */
    default void messageDeleted(Chat.ChatMessage deletion) {
    }

    /** A message sent from this client is stored by the server (it now has its sequence number). */
    default void messageSent(Chat.ChatMessage message) {
    }

    /** A send from this client was refused for good (too large, not a member, ...). */
    default void messageFailed(String clientMessageId, ParleyClientException error) {
    }

    default void presenceChanged(Contacts.PresenceChanged change) {
    }

    default void contactRequested(Contacts.UserInfo from) {
    }

    default void contactAdded(Contacts.UserInfo contact) {
    }

    default void contactDeclined(String user) {
    }

    default void contactRemoved(String user) {
    }

    default void conversationUpdated(Conversations.ConversationInfo conversation) {
    }

    default void conversationRemoved(long conversationId) {
    }

    default void receiptChanged(Chat.ReceiptChanged receipt) {
    }

    default void typingChanged(Chat.TypingChanged typing) {
    }

    /**
     * The reactions to message {@code seq} are now {@code reactions} (the whole summary: replace what was shown):
     * a change by another member or device pushed live, this client's own add or remove once stored, or a change
     * made while this client was offline, learnt when it reconnected. A message the listener does not hold can be
     * ignored: it brings its summary along when it is fetched.
     */
    default void reactionsChanged(long conversationId, long seq, List<Reactions.Reaction> reactions) {
    }

    /**
     * Something the user should know that is not the answer to a request: the session expired (log in again),
     * the account was disabled, the server's certificate was not trusted.
     */
    default void problem(ParleyClientException error) {
    }
}
