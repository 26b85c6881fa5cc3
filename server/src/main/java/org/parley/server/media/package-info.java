/**
 * Media: what a shared file really is (sniffed from its bytes, not its name), and for pictures the safe, shared
 * copy (metadata stripped, orientation kept), its dimensions and a thumbnail; a video's poster frame checked like
 * any picture. Pure functions over bytes: no storage, no wire. The files feature calls {@link
 * org.parley.server.media.MediaPipeline} when an upload finishes.
 */
package org.parley.server.media;
