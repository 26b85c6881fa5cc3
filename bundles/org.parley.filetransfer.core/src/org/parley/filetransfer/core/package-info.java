/**
 * File transfer without UI (API): {@link org.parley.filetransfer.core.FileTransfers} uploads a file into a
 * conversation and downloads attachments, in chunks, resumable, SHA-256 checked. Usable from plain Java (bots,
 * benchmarks) as well as from the file transfer and media plug-ins.
 */
package org.parley.filetransfer.core;
