package org.parley.filetransfer.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The file transfer plug-in's user-visible strings (messages.properties), for what was added with Downloads. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.filetransfer.ui.internal.messages";

    public static String Downloads_saveTitle;
    public static String Downloads_savedTo;
    public static String Downloads_showInFolder;
    public static String Downloads_showInFolderTip;
    public static String Downloads_savedToTip;
    public static String Downloads_cannotShowTitle;
    public static String Downloads_folderGone;
    public static String Downloads_noFileManager;
    public static String FileTransferPage_description;
    public static String FileTransferPage_folder;
    public static String FileTransferPage_folderHint;
    public static String FileTransferPage_browse;
    public static String FileTransferPage_chooseFolder;
    public static String FileTransferPage_remember;
    public static String FileTransferPage_noFolder;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
