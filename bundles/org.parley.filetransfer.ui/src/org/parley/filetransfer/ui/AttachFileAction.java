package org.parley.filetransfer.ui;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.parley.chat.ui.ComposerAction;
import org.parley.chat.ui.ComposerContext;

/**
 * "Attach file…" next to a chat's entry field: picks one or more files and sends them to the conversation (as
 * replies, while the user is replying to a message). Also takes files dropped on the chat or pasted into it, and
 * shows the uploads under way above the entry field.
 */
public class AttachFileAction implements ComposerAction {

    @Override
    public boolean acceptFiles(ComposerContext context, List<Path> files) {
        send(context, files);
        return true;
    }

    @Override
    public Control createStatusControl(Composite parent, ComposerContext context) {
        return new UploadStrip(parent, context.conversationId()).control();
    }

    @Override
    public void run(ComposerContext context) {
        List<Path> files = FileChooser.current().choose(context.shell(), "Send files to this conversation");
        if (!files.isEmpty()) {
            send(context, files);
        }
    }

    private static void send(ComposerContext context, List<Path> files) {
        // while a reply is being composed, the files answer that message (and the reply bar closes)
        Uploads.Result r = Uploads.send(context.client(), context.conversationId(), files, context.takeReply());
        if (!r.problems().isEmpty()) {
            MessageDialog.openWarning(context.shell(), "Some files were not sent", String.join("\n", r.problems()));
        }
    }
}
