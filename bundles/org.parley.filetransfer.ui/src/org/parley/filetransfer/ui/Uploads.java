package org.parley.filetransfer.ui;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
                                .upload(conversationId, file, FileTransfers.UploadOptions.of(type), progress))));
            }
        }
        return new Result(jobs, problems);
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
