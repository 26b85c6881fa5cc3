package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.eclipse.jface.fieldassist.ContentProposal;
import org.eclipse.jface.fieldassist.ContentProposalAdapter;
import org.eclipse.jface.fieldassist.IContentProposal;
import org.eclipse.jface.fieldassist.IContentProposalProvider;
import org.eclipse.jface.fieldassist.TextContentAdapter;
import org.eclipse.swt.widgets.Text;

/**
 * "@" in the entry field opens a completion of the conversation's members by display name (JFace's content
 * proposals): typing narrows it (display name or user name, any word's start), Enter or a click puts the mention
 * token ({@link Markdown#mention}) in place of "@…", Escape closes it and leaves the text as typed.
 */
final class MentionProposals {

    /** A member who can be mentioned. */
    record Member(String user, String displayName) {
    }

    /** The longest "@…" a completion looks back for (a display name with spaces). */
    private static final int MAX_QUERY = 40;

    private final Text input;
    private final ContentProposalAdapter adapter;

    MentionProposals(Text input, Supplier<List<Member>> members) {
        this.input = input;
        IContentProposalProvider provider = (contents, position) -> {
            int at = atSign(contents, position);
            if (at < 0) {
                return new IContentProposal[0];
            }
            String query = contents.substring(at + 1, position).toLowerCase(Locale.ROOT);
            List<IContentProposal> out = new ArrayList<>();
            for (Member m : members.get()) {
                if (matches(m, query)) {
                    out.add(new ContentProposal(Markdown.mention(m.user(), m.displayName()) + " ",
                            m.displayName() + "  (" + m.user() + ")", null));
                }
            }
            return out.toArray(IContentProposal[]::new);
        };
        adapter = new ContentProposalAdapter(input, new TextContentAdapter(), provider, null, new char[] {'@'});
        adapter.setProposalAcceptanceStyle(ContentProposalAdapter.PROPOSAL_IGNORE);
        adapter.setPropagateKeys(true);
        adapter.setFilterStyle(ContentProposalAdapter.FILTER_NONE);
        adapter.addContentProposalListener(this::accept);
    }

    /** Whether the completion shows (Enter then chooses a member instead of sending). */
    boolean isOpen() {
        return adapter.isProposalPopupOpen();
    }

    private static boolean matches(Member m, String query) {
        if (query.isEmpty()) {
            return true;
        }
        String name = m.displayName().toLowerCase(Locale.ROOT);
        if (name.startsWith(query) || m.user().startsWith(query)) {
            return true;
        }
        for (String word : name.split("\\s+")) {
            if (word.startsWith(query)) {
                return true;
            }
        }
        return false;
    }

    /** Where the "@" of the mention being typed is (before the caret, at a word's start), or -1. */
    private static int atSign(String contents, int position) {
        for (int i = position - 1; i >= 0 && position - i <= MAX_QUERY; i--) {
            char c = contents.charAt(i);
            if (c == '@') {
                return i == 0 || Character.isWhitespace(contents.charAt(i - 1)) ? i : -1;
            }
            if (c == '\n' || c == '(' || c == ')' || c == '[' || c == ']') {
                return -1;
            }
        }
        return -1;
    }

    /** The chosen member's token replaces "@…" before the caret. */
    private void accept(IContentProposal proposal) {
        String text = input.getText();
        int caret = input.getCaretPosition();
        int at = atSign(text, caret);
        if (at < 0) {
            input.insert(proposal.getContent());
            return;
        }
        input.setSelection(at, caret);
        input.insert(proposal.getContent());
    }
}
