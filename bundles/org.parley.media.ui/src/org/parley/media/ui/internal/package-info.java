/** The media plug-in's preferences: {@link org.parley.media.ui.internal.MediaPreferences} and its page. */
package org.parley.media.ui.internal;
