package org.parley.chat.ui.internal;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.menu.MItem;
import org.eclipse.e4.ui.services.IServiceConstants;

/**
 * Mute chat (Parley > Mute This Chat, a check item; also in the history's context menu): no toasts and no sound
 * for the chat in front, mentions of the user excepted; unread counts as before. Kept per account on this computer
 * ({@link ChatSettings}), so it survives restarts.
 */
public class MuteChatHandler {

    @CanExecute
    boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part, @Optional MItem item) {
        boolean chat = part != null && part.getObject() instanceof ChatPart;
        if (item != null) {
            item.setSelected(chat && ((ChatPart) part.getObject()).isMuted());
        }
        return chat;
    }

    @Execute
    void execute(@Named(IServiceConstants.ACTIVE_PART) MPart part) {
        ChatPart chat = (ChatPart) part.getObject();
        chat.mute(!chat.isMuted());
    }
}
