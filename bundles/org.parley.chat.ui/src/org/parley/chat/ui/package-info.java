/**
 * API of the chat plug-in for other plug-ins: {@link org.parley.chat.ui.ComposerAction} (extension point
 * {@code org.parley.chat.ui.composerActions}) and {@link org.parley.chat.ui.MessageRenderer} (extension point
 * {@code org.parley.chat.ui.messageRenderers}), with the contexts Parley gives them. The implementation is in
 * {@code org.parley.chat.ui.internal}, which is not exported.
 */
package org.parley.chat.ui;
