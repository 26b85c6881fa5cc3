package org.parley.chat.ui.internal;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Reactions;

/**
 * "React…": a small menu of the usual reactions (👍 ❤️ 😂 🎉 😮 😢, ticked when the user already chose one; choosing
 * it again takes it back) and "More…", the {@link EmojiPicker}. Offered for every message but SYSTEM lines.
 */
public final class ReactAction implements MessageAction {

    /** The usual reactions, offered first. */
    static final List<String> DEFAULTS = List.of("\uD83D\uDC4D", "\u2764\uFE0F", "\uD83D\uDE02", "\uD83C\uDF89",
            "\uD83D\uDE2E", "\uD83D\uDE22");

    @Override
    public boolean isAvailable(MessageActionContext context) {
        return context.message().kind() != Chat.Kind.SYSTEM;
    }

    @Override
    public void run(MessageActionContext context) {
        Chat.ChatMessage m = context.message();
        Menu menu = new Menu(context.shell(), SWT.POP_UP);
        // Where the window keeps the menu it shows (read by the UI tests, which drive its items).
        context.shell().setData("org.parley.chat.reactMenu", menu);
        for (String emoji : DEFAULTS) {
            MenuItem item = new MenuItem(menu, SWT.CHECK);
            item.setText(emoji);
            item.setSelection(reacted(m, emoji, context.client().user()));
            item.addListener(SWT.Selection, e -> toggle(context, m, emoji));
        }
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem more = new MenuItem(menu, SWT.PUSH);
        more.setText(Messages.Reactions_more);
        more.addListener(SWT.Selection, e -> EmojiPicker.open(context.shell(), emoji -> toggle(context, m, emoji)));
        menu.setLocation(Display.getCurrent().getCursorLocation());
        menu.setVisible(true);
    }

    static boolean reacted(Chat.ChatMessage m, String emoji, String me) {
        return m.reactions().stream().anyMatch(r -> r.emoji().equals(emoji) && r.users().contains(me));
    }

    /**
     * Adds the user's {@code emoji} to the message, or takes it back when they had chosen it; the history updates
     * when the client tells the change. A refusal (a limit) is shown in the chat's window.
     */
    static void toggle(ChatContext chat, Chat.ChatMessage m, String emoji) {
        Chat.ChatMessage now = m;
        boolean mine = reacted(now, emoji, chat.client().user());
        var f = mine ? chat.client().removeReaction(m.conversationId(), m.seq(), emoji)
                : chat.client().addReaction(m.conversationId(), m.seq(), emoji);
        Display display = Display.getCurrent();
        f.whenComplete((Reactions.ReactionChanged r, Throwable e) -> {
            if (e != null && display != null && !display.isDisposed()) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                display.asyncExec(() -> {
                    if (!chat.shell().isDisposed()) {
                        org.eclipse.jface.dialogs.MessageDialog.openError(chat.shell(), Messages.Reactions_failedTitle,
                                cause.getMessage());
                    }
                });
            }
        });
    }
}
