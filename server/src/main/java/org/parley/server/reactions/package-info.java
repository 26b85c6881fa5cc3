/**
 * Emoji reactions to messages: the {@link org.parley.server.reactions.ReactionService} (authorization, validation,
 * limits, fan-out, resync) and its storage port {@link org.parley.server.reactions.ReactionStore}.
 */
package org.parley.server.reactions;
