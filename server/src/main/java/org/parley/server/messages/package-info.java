/**
 * Messages: sending (validated, then written in batches by one group-commit thread), delivery to online members,
 * history; with {@link org.parley.server.messages.StoredMessage} and the {@link
 * org.parley.server.messages.MessageStore} port.
 */
package org.parley.server.messages;
