package org.parley.server.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Search;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.messages.MessageService;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.StoredMessage;

/**
 * Message search ({@code SearchMessages}) and opening a history at a message ({@code FetchAround}). Who may see
 * what is decided at each request from the conversations the caller is a member of now (a removed member's old
 * groups are left out; the index knows nothing of members). Hits are read from the message store, so a page shows
 * messages as stored.
 */
public final class SearchService {

    /** Room in a frame for the header and a page's own fields, around its messages. */
    private static final int PAGE_OVERHEAD = 64;
    /** Per hit, its highlights' room (12 bytes each) is counted on top of the message. */
    private static final int HIGHLIGHT_BYTES = 12;

    private final MessageIndex index;
    private final SearchIndexer indexer;
    private final MessageStore messages;
    private final ConversationStore conversationStore;
    private final ConversationService conversations;
    private final MessageService messageService;
    private final SearchLimits limits;
    private final int maxFrameBytes;

    public SearchService(MessageIndex index, SearchIndexer indexer, MessageStore messages,
            ConversationStore conversationStore, ConversationService conversations, MessageService messageService,
            SearchLimits limits, int maxFrameBytes) {
        this.index = index;
        this.indexer = indexer;
        this.messages = messages;
        this.conversationStore = conversationStore;
        this.conversations = conversations;
        this.messageService = messageService;
        this.limits = limits;
        this.maxFrameBytes = maxFrameBytes;
    }

    public void register(Handlers h) {
        h.on(Search.SearchMessages.class, (c, r) -> CompletableFuture.completedFuture(search(c, r)));
        h.on(Search.FetchAround.class, (c, r) -> CompletableFuture.completedFuture(around(c, r)));
    }

    Search.SearchResults search(Caller caller, Search.SearchMessages r) {
        String query = r.query().strip();
        if (query.length() > limits.maxQueryChars()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a query has at most " + limits.maxQueryChars()
                    + " characters, not " + query.length());
        }
        Set<String> terms = new LinkedHashSet<>();
        for (MessageIndex.Word w : index.words(query)) {
            terms.add(w.term());
        }
        if (terms.isEmpty()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "the query has no words to search for");
        }
        if (terms.size() > limits.maxQueryWords()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a query has at most " + limits.maxQueryWords()
                    + " words, not " + terms.size());
        }
        if (r.limit() < 0 || r.limit() > limits.maxResults()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "limit is 0 (the server's default) to "
                    + limits.maxResults() + ", not " + r.limit());
        }
        int limit = r.limit() == 0 ? limits.defaultResults() : r.limit();
        MessageIndex.Found after = Cursor.parse(r.cursor());
        if (r.conversationId() < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "conversationId is 0 (all) or a conversation");
        }
        List<Long> scope;
        if (r.conversationId() == 0) {
            scope = conversationStore.conversationsOf(caller.accountId()).stream().map(Conversation::id).toList();
        } else {
            conversations.requireMember(caller, r.conversationId());
            scope = List.of(r.conversationId());
        }
        boolean complete = indexer.complete();
        List<MessageIndex.Found> found = index.search(List.copyOf(terms), scope, after, limit + 1);
        boolean more = found.size() > limit;
        if (more) {
            found = found.subList(0, limit);
        }
        List<StoredMessage> rows = new ArrayList<>(found.size());
        for (MessageIndex.Found f : found) {
            List<StoredMessage> one = messages.after(f.conversationId(), f.seq() - 1, 1);
            if (!one.isEmpty() && one.get(0).seq() == f.seq()) {
                rows.add(one.get(0));
            }
        }
        Map<String, Chat.ChatMessage> byKey = new HashMap<>();
        for (Chat.ChatMessage m : messageService.toWire(rows)) {
            byKey.put(m.conversationId() + ":" + m.seq(), m);
        }
        List<Search.SearchHit> hits = new ArrayList<>(rows.size());
        int budget = caller.link().pageBytes(maxFrameBytes) - PAGE_OVERHEAD - Cursor.MAX_LENGTH;
        MessageIndex.Found last = null; // the last hit this page covers: the next page starts after it
        for (MessageIndex.Found f : found) {
            Chat.ChatMessage m = byKey.get(f.conversationId() + ":" + f.seq());
            if (m != null) {
                List<Search.Highlight> highlights = highlights(m, terms);
                int size = MessageService.wireSize(m) + highlights.size() * HIGHLIGHT_BYTES + 8;
                if (size > budget && !hits.isEmpty()) {
                    more = true; // the rest on the next page: a page fits in one frame
                    break;
                }
                budget -= size;
                hits.add(new Search.SearchHit(m, highlights));
            }
            last = f;
        }
        return new Search.SearchResults(hits, more && last != null ? Cursor.format(last) : "", complete);
    }

    /** Where each word of the query begins a word of the message's text or of a file name. */
    private List<Search.Highlight> highlights(Chat.ChatMessage m, Set<String> terms) {
        List<Search.Highlight> out = new ArrayList<>();
        collect(out, -1, m.text(), terms);
        for (int i = 0; i < m.attachments().size(); i++) {
            collect(out, i, m.attachments().get(i).name(), terms);
        }
        return out;
    }

    private void collect(List<Search.Highlight> out, int attachment, String text, Set<String> terms) {
        for (MessageIndex.Word w : index.words(text)) {
            for (String t : terms) {
                if (w.term().startsWith(t)) {
                    out.add(new Search.Highlight(attachment, w.start(), w.end()));
                    break;
                }
            }
        }
    }

    Search.AroundPage around(Caller caller, Search.FetchAround r) {
        conversations.requireMember(caller, r.conversationId());
        int max = limits.maxAround();
        if (r.before() < 0 || r.before() > max || r.after() < 0 || r.after() > max) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "before and after are 0 to " + max + " each");
        }
        if (r.seq() < 1) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "seq starts at 1");
        }
        // Up to and including seq (plus one to tell whether there is more), then after it.
        List<StoredMessage> older = messages.before(r.conversationId(), r.seq() + 1, r.before() + 2);
        boolean moreBefore = older.size() > r.before() + 1;
        if (moreBefore) {
            older = older.subList(1, older.size());
        }
        List<StoredMessage> newer = messages.after(r.conversationId(), r.seq(), r.after() + 1);
        boolean moreAfter = newer.size() > r.after();
        if (moreAfter) {
            newer = newer.subList(0, r.after());
        }
        List<StoredMessage> rows = new ArrayList<>(older.size() + newer.size());
        rows.addAll(older);
        rows.addAll(newer);
        List<Chat.ChatMessage> wire = new ArrayList<>(messageService.toWire(rows));
        // The page must fit in one frame (thumbnails ride in attachments): drop from the far ends, keeping the
        // messages nearest the one asked for.
        int total = 0;
        for (Chat.ChatMessage m : wire) {
            total += MessageService.wireSize(m);
        }
        int budget = caller.link().pageBytes(maxFrameBytes) - PAGE_OVERHEAD;
        int center = older.size() - 1;
        while (total > budget && wire.size() > 1) {
            boolean dropOld = center > wire.size() - 1 - center;
            Chat.ChatMessage dropped = wire.remove(dropOld ? 0 : wire.size() - 1);
            if (dropOld) {
                center--;
                moreBefore = true;
            } else {
                moreAfter = true;
            }
            total -= MessageService.wireSize(dropped);
        }
        return new Search.AroundPage(r.conversationId(), wire, moreBefore, moreAfter);
    }
}
