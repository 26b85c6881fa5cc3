/** The chat part: one per conversation, with its history, the message entry field and typing indicator. */
package org.parley.chat.ui;
