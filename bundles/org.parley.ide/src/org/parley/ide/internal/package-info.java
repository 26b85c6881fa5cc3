/**
 * Parley inside an Eclipse IDE (the 3.x compatibility workbench with {@code org.eclipse.ui.ide}): views under
 * Window &gt; Show View &gt; Parley that host Parley's E4 parts once the user has signed in ({@link
 * org.parley.ide.internal.ParleyViewPart}), the session shared by them ({@link org.parley.ide.internal.ParleySession}:
 * the client in the workbench's Eclipse context), chats opened as views, "Send Selection to Parley Chat" from text
 * editors, and received snippets opened in editors ({@link org.parley.ide.internal.EditorSnippetOpener}). Nothing
 * here is API; see docs/ide.md.
 */
package org.parley.ide.internal;
