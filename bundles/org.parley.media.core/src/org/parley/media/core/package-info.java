/**
 * Media without UI (API): what kind of media a type is, the orientation a JPEG asks to be shown in, and what the
 * sender's client learns of a video before sending it (dimensions, duration, a poster frame) with the system's
 * ffprobe/ffmpeg when they are installed. Plain Java, no Eclipse dependency.
 */
package org.parley.media.core;
