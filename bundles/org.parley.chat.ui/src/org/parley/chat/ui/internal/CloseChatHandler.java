package org.parley.chat.ui.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

import jakarta.inject.Named;

/** Close chat (Ctrl+W): closes the chat in front, when a chat is the active part. */
public class CloseChatHandler {

    @CanExecute
    boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
        return part != null && part.getObject() instanceof ChatPart;
    }

    @Execute
    void execute(@Named(IServiceConstants.ACTIVE_PART) MPart part, EPartService parts) {
        parts.hidePart(part, true); // made from the descriptor: removed, as its tab's close button does
    }
}
