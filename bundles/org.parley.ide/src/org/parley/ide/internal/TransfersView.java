package org.parley.ide.internal;

import org.parley.filetransfer.ui.TransfersPart;

/** Window &gt; Show View &gt; Parley &gt; Parley Transfers: this session's uploads and downloads. */
public final class TransfersView extends ParleyViewPart {

    @Override
    protected Class<?> partClass() {
        return TransfersPart.class;
    }

    @Override
    protected String promptText() {
        return "Files you send and receive in Parley show here, with their progress.";
    }
}
