/**
 * The media viewer plug-in: pictures, videos and audio shown inside Parley. A viewer part (fit, zoom, actual
 * size; animated GIFs animate) for pictures, an HTML5 player in the SWT Browser (WebKitGTK with GStreamer) for
 * videos and audio, inline thumbnails in the chat, and the video poster and duration added to uploads.
 */
package org.parley.media.ui;
