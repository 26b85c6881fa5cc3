package org.parley.server.reactions;

import java.util.Collection;
import java.util.List;

/**
 * Storage port of the reactions feature. A conversation's <em>reaction revision</em> counts the changes to its
 * reactions; every change bumps it by one, in the same durable transaction, and records it as the revision of the
 * message changed, so that {@link #changedSince} finds every message changed after a revision, removals included.
 */
public interface ReactionStore {

    /** What an add or a remove did. */
    enum Outcome {
        /** Stored; the revision moved. */
        CHANGED,
        /** It already was so (a resend): nothing was written, the revision did not move. */
        UNCHANGED,
        /** Refused: the message has {@code maxEmoji} distinct emoji already. */
        TOO_MANY_EMOJI,
        /** Refused: the user has {@code maxPerUser} reactions on the message already. */
        TOO_MANY_FOR_USER,
        /** Refused: the conversation has no message with that seq. */
        NO_MESSAGE
    }

    /** The outcome, and the conversation's reaction revision after it. */
    record Change(Outcome outcome, long revision) {
    }

    /**
     * Adds {@code r} in one durable transaction, unless the user already has that emoji on the message
     * ({@code UNCHANGED}), the message does not exist, or a limit would be passed: at most {@code maxEmoji}
     * distinct emoji on a message, at most {@code maxPerUser} of one user's reactions on a message.
     */
    Change add(StoredReaction r, int maxEmoji, int maxPerUser);

    /** Removes a user's emoji from a message in one durable transaction ({@code UNCHANGED} when it had none). */
    Change remove(long conversationId, long seq, long accountId, String emoji);

    /** The reactions to the messages {@code seqs} of a conversation, by seq, then creation, then account. */
    List<StoredReaction> of(long conversationId, Collection<Long> seqs);

    /** A message whose reactions changed, and the revision of its last change. */
    record Changed(long seq, long revision) {
    }

    /** The messages changed after {@code sinceRevision}, oldest change first, at most {@code limit}. */
    List<Changed> changedSince(long conversationId, long sinceRevision, int limit);

    /** The conversation's reaction revision (0 when none changed, or no such conversation). */
    long revision(long conversationId);
}
