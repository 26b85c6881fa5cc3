/**
 * Conversations: 1:1 and groups, membership, delivered/read marks and typing; with the records and the
 * {@link org.parley.server.conversations.ConversationStore} port.
 */
package org.parley.server.conversations;
