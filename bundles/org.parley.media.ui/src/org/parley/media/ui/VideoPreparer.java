package org.parley.media.ui;

import java.nio.file.Path;

import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.UploadPreparer;
import org.parley.media.core.MediaKind;
import org.parley.media.core.VideoProbe;

/**
 * Gives a video's dimensions, duration and poster frame to its upload (the server does not decode video), when
 * ffprobe and ffmpeg are installed; without them the video is sent as it is and shows without a poster.
 */
public class VideoPreparer implements UploadPreparer {

    private static final VideoProbe PROBE = new VideoProbe();

    @Override
    public FileTransfers.UploadOptions prepare(Path file, FileTransfers.UploadOptions options)
            throws InterruptedException {
        if (MediaKind.of(options.mediaType()) != MediaKind.VIDEO || !PROBE.available()) {
            return options;
        }
        return PROBE.probe(file).map(v -> options.video(v.width(), v.height(), v.durationMillis(), v.poster()))
                .orElse(options);
    }
}
