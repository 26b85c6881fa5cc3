package org.parley.chat.ui.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

import jakarta.inject.Named;

/** The two search commands' handlers: Find in chat (Ctrl+F) and Search all chats (Ctrl+Shift+F). */
public final class SearchHandlers {

    private SearchHandlers() {
    }

    /** Find in chat: searches the chat in front (enabled while a chat is the active part). */
    public static class InChat {

        @CanExecute
        boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part,
                @Optional ParleyClient client) {
            return client != null && part != null && part.getObject() instanceof ChatPart;
        }

        @Execute
        void execute(@Named(IServiceConstants.ACTIVE_PART) MPart part, @Named(IServiceConstants.ACTIVE_SHELL)
                Shell shell, ParleyClient client, EPartService parts, EModelService models, MApplication app) {
            ChatPart chat = (ChatPart) part.getObject();
            new SearchDialog(shell, client, chat.conversationId(), part.getLabel(), parts, models, app).open();
        }
    }

    /** Search all chats: every conversation of the user. */
    public static class All {

        @CanExecute
        boolean canExecute(@Optional ParleyClient client) {
            return client != null;
        }

        @Execute
        void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell, ParleyClient client, EPartService parts,
                EModelService models, MApplication app) {
            new SearchDialog(shell, client, 0, "", parts, models, app).open();
        }
    }
}
