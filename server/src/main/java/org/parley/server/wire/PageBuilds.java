package org.parley.server.wire;

import java.util.concurrent.Semaphore;

import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Search;

/**
 * How many pages (answers of up to a frame: history, search, lists) the server builds at once ({@code page-builds}).
 * A page of history reads up to 501 stored messages before it is cut to a frame, and is then encoded: with 32
 * request workers each building one of 1 MiB at once, a small heap held tens of MiB of pages being built, besides
 * the answers waiting to be sent. A worker waits here for its turn; building a page takes milliseconds, and a
 * connection that does not read gets no new pages built at all while the server holds too much unsent
 * ({@link OutboundBudget}). The pages' handlers answer at once (their futures are complete when they return), so
 * the answer is queued before the turn is given back.
 */
final class PageBuilds {

    private final Semaphore turns;

    PageBuilds(int atOnce) {
        turns = new Semaphore(atOnce);
    }

    /** Whether {@code m} asks for a page that may be as large as a frame. */
    static boolean isPage(Message m) {
        return m instanceof Chat.FetchBefore || m instanceof Chat.FetchAfter || m instanceof Search.FetchAround
                || m instanceof Search.SearchMessages || m instanceof Reactions.FetchReactions
                || m instanceof Conversations.ListConversations || m instanceof Admin.ListUsers
                || m instanceof Admin.ListGroups || m instanceof Admin.ReadAuditLog;
    }

    void acquire() {
        turns.acquireUninterruptibly();
    }

    void release() {
        turns.release();
    }
}
