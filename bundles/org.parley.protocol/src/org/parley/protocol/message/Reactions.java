package org.parley.protocol.message;

import java.util.List;

/**
 * Emoji reactions to messages (protocol version 2). A reaction is one user's emoji on one message; a message's
 * reactions are summed up as one {@link Reaction} per emoji with the users who chose it. Adding and removing are
 * explicit, so a resend changes nothing the second time. Each conversation counts its reaction changes in a
 * <em>reaction revision</em> ({@code ConversationInfo.reactionRevision}); a client that was offline asks
 * {@link FetchReactions} for the messages whose reactions changed after the revision it last saw.
 */
public final class Reactions {

    /** One emoji on a message and the users (user names) who reacted with it, in the order they did. */
    public record Reaction(String emoji, List<String> users) {
    }

    /** The caller reacts to message {@code seq} with {@code emoji}. Answer: {@link ReactionChanged}. */
    public record AddReaction(long conversationId, long seq, String emoji) implements Message {
    }

    /** The caller takes back their {@code emoji} reaction to message {@code seq}. Answer: {@link ReactionChanged}. */
    public record RemoveReaction(long conversationId, long seq, String emoji) implements Message {
    }

    /**
     * Answer to {@link AddReaction} and {@link RemoveReaction}, and push to the members' other connections: the
     * {@code user}'s {@code emoji} was {@code added} (or removed) on message {@code seq}; {@code changed} is false
     * when it already was so (a resend: nothing was stored or pushed). {@code revision} is the conversation's
     * reaction revision after the change; {@code reactions} is the message's whole summary now.
     */
    public record ReactionChanged(long conversationId, long seq, String user, String emoji, boolean added,
            boolean changed, long revision, List<Reaction> reactions) implements Message {
    }

    /**
     * Asks for the messages of a conversation whose reactions changed after reaction revision
     * {@code sinceRevision}, in the order of their last change, at most {@code limit} (1 to 500; 0 asks only for
     * the current revision). Answer: {@link ReactionUpdates}.
     */
    public record FetchReactions(long conversationId, long sinceRevision, int limit) implements Message {
    }

    /** A message's reactions as they are now (an empty list: all were taken back). */
    public record MessageReactions(long seq, List<Reaction> reactions) {
    }

    /**
     * Answer to {@link FetchReactions}: the changed messages with their summaries, oldest change first.
     * {@code revision} is where the next request starts from: the conversation's current revision, or, when
     * {@code more} is set, the revision of the last message in this page.
     */
    public record ReactionUpdates(long conversationId, List<MessageReactions> messages, long revision, boolean more)
            implements Message {
    }

    private Reactions() {
    }
}
