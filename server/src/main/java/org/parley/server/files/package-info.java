/**
 * Files: uploads in resumable chunks, checked end to end with SHA-256, quotas and limits refused before any byte,
 * identical content stored once, the file posted in its conversation as a FILE or MEDIA message, downloads in
 * chunks by the conversation's members only; with the {@link org.parley.server.files.FileStore} port (content in
 * blobs, uploads, files). Pictures and videos are examined by {@link org.parley.server.media.MediaPipeline}.
 */
package org.parley.server.files;
