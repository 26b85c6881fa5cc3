/**
 * The file transfer plug-in: "Attach file…" in every chat (contributed through
 * {@code org.parley.chat.ui.composerActions}), uploads and downloads as Eclipse Jobs with progress and cancel, the
 * Transfers part that lists them, and saving or opening a received file. The transfers themselves are in
 * {@code org.parley.filetransfer.core}.
 */
package org.parley.filetransfer.ui;
