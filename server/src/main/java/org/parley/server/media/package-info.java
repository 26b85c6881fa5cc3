/**
 * Media: what a shared file really is (sniffed from its bytes, not its name), and for pictures the safe, shared
 * copy (metadata stripped, orientation kept), its dimensions and a thumbnail; a video's poster frame checked like
 * any picture. Pure functions over bytes: no storage, no wire. The files feature calls {@link
 * org.parley.server.media.MediaPipeline} when an upload finishes; {@link org.parley.server.media.ImagePipeline} is
 * the implementation, with one container walker per picture format ({@code JpegCleaner}, {@code PngCleaner},
 * {@code WebpCleaner}, {@code GifCleaner}). Why it works this way: docs/decisions/media-pipeline.md.
 */
package org.parley.server.media;
