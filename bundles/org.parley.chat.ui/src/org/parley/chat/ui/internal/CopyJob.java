package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.parley.chat.ui.ChatContext;
import org.parley.protocol.message.Chat;

/**
 * Fetches a range of a conversation's history that is not (all) in memory, for Copy: a job, because a range can be
 * the whole of a 100,000-message history (hundreds of requests); it shows progress and can be cancelled.
 */
final class CopyJob extends Job {

    private static final int PAGE = 500;

    private final ChatContext chat;
    private final long from;
    private final long to;
    private final Consumer<List<Chat.ChatMessage>> done;

    CopyJob(ChatContext chat, long from, long to, Consumer<List<Chat.ChatMessage>> done) {
        super(String.format("Copying %,d messages", to - from + 1));
        this.chat = chat;
        this.from = from;
        this.to = to;
        this.done = done;
        setUser(true);
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, getName(), (int) Math.min(Integer.MAX_VALUE, to - from + 1));
        List<Chat.ChatMessage> out = new ArrayList<>();
        long after = from - 1;
        try {
            while (after < to) {
                CompletableFuture<Chat.MessagePage> request = chat.client().fetchAfter(chat.conversationId(), after,
                        PAGE);
                Chat.MessagePage page = null;
                while (page == null) { // wait in slices, so that Cancel takes effect at once
                    if (progress.isCanceled()) {
                        request.cancel(false);
                        return Status.CANCEL_STATUS;
                    }
                    try {
                        page = request.get(200, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        // not yet
                    }
                }
                for (Chat.ChatMessage m : page.messages()) {
                    if (m.seq() <= to) {
                        out.add(m);
                    }
                }
                if (page.messages().isEmpty() || !page.more()) {
                    break;
                }
                long last = page.messages().get(page.messages().size() - 1).seq();
                progress.worked((int) (Math.min(last, to) - after));
                progress.subTask(String.format("%,d of %,d", out.size(), to - from + 1));
                after = last;
            }
        } catch (ExecutionException e) {
            return Status.error("Could not copy the messages: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
        }
        done.accept(out);
        return Status.OK_STATUS;
    }
}
