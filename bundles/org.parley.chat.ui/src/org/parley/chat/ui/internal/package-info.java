/**
 * The chat plug-in's implementation (not API): the chat part, its virtual history, the notification add-on and
 * the loading of contributions to the chat's extension points.
 */
package org.parley.chat.ui.internal;
