package org.parley.filetransfer.ui;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;

/** Starts uploads of local files into a conversation, each as a {@link TransferJob}. */
public final class Uploads {

    private Uploads() {
    }

    /**
     * Sends files to a conversation. Returns one job per file that could be read; the others are named in the
     * returned problems (a folder, an unreadable file), so the caller can tell the user.
     */
    public static Result send(ParleyClient client, long conversationId, List<Path> files) {
        return send(client, conversationId, files, 0);
    }

    /** As {@link #send(ParleyClient, long, List)}, each file answering message {@code replyTo} (0: none). */
    public static Result send(ParleyClient client, long conversationId, List<Path> files, long replyTo) {
        List<TransferJob> jobs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                problems.add(file.getFileName() + " is not a file (folders cannot be sent; zip them first)");
            } else if (!Files.isReadable(file)) {
                problems.add(file.getFileName() + " cannot be read (permissions)");
            } else {
                String type = mediaType(file);
                jobs.add(TransferList.schedule(new TransferJob(TransferJob.Direction.UPLOAD,
                        file.getFileName().toString(), conversationId, "", progress -> new FileTransfers(client)
                                .upload(conversationId, file, prepared(file, FileTransfers.UploadOptions.of(type)
                                        .replyTo(replyTo)),
                                        progress))));
            }
        }
        return new Result(jobs, problems);
    }

    static final String PREPARERS = "org.parley.filetransfer.ui.uploadPreparers";

    /** The options after every contributed preparer (runs in the upload's job). */
    static FileTransfers.UploadOptions prepared(Path file, FileTransfers.UploadOptions options) {
        FileTransfers.UploadOptions out = options;
        if (RegistryFactory.getRegistry() == null) {
            return out;
        }
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(PREPARERS)) {
            try {
                FileTransfers.UploadOptions next = ((UploadPreparer) e.createExecutableExtension("class"))
                        .prepare(file, out);
                if (next != null) {
                    out = next;
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return out;
            } catch (CoreException | RuntimeException | LinkageError ex) {
                ILog.of(Uploads.class).error("upload preparer " + e.getAttribute("id") + " from "
                        + e.getContributor().getName() + " failed; the file is sent without it", ex);
            }
        }
        return out;
    }

    public record Result(List<TransferJob> jobs, List<String> problems) {
    }

    /** A hint for the server, which sniffs pictures, videos and audio from their bytes anyway. */
    static String mediaType(Path file) {
        String type = null;
        try {
            type = Files.probeContentType(file);
        } catch (IOException e) {
            // fall back to the name
        }
        if (type == null) {
            type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
        }
        return type == null ? "" : type;
    }
}
