package org.parley.contacts.ui.internal;

import org.parley.protocol.message.Contacts;

/** A contact request waiting for an answer: someone asked the user ({@code incoming}), or the user asked them. */
public record PendingRequest(Contacts.UserInfo user, boolean incoming) {
}
