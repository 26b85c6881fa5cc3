package org.parley.server.common;

/**
 * A write named a conversation that does not exist (any more: a group deleted after the request was checked). The
 * transaction was rolled back; the caller may write the rest again without what named it.
 */
public class MissingConversationException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final long conversationId;

    public MissingConversationException(long conversationId) {
        super("no conversation " + conversationId);
        this.conversationId = conversationId;
    }

    public long conversationId() {
        return conversationId;
    }
}
