package org.parley.filetransfer.ui;

import java.nio.file.Path;

import org.parley.filetransfer.core.FileTransfers;

/**
 * Adds to what is sent with a file before its upload starts (API, contributed through
 * {@code org.parley.filetransfer.ui.uploadPreparers}): the media viewer gives a video's dimensions, duration and
 * poster this way. Called in the upload's job, never on the display thread; may take a few seconds.
 */
public interface UploadPreparer {

    /** Returns the options to send {@code file} with: {@code options} itself when there is nothing to add. */
    FileTransfers.UploadOptions prepare(Path file, FileTransfers.UploadOptions options) throws InterruptedException;
}
