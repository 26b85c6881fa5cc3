package org.parley.media.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the sender's client learns of a video before sending it: dimensions, duration and a poster frame (a JPEG
 * at most 640 pixels wide), using the system's {@code ffprobe} and {@code ffmpeg} (Debian package ffmpeg) when
 * they are installed. The server never decodes video (see docs/decisions/media-pipeline.md); without ffmpeg a
 * video is still sent, just without a poster. The sender's own file is the only input, each tool runs with a
 * time limit, and its output is bounded.
 */
public final class VideoProbe {

    /** What was found; {@code poster} is empty when none could be made. */
    public record VideoInfo(int width, int height, long durationMillis, byte[] poster) {
    }

    private static final long TIMEOUT_SECONDS = 20;
    private static final int MAX_POSTER_BYTES = 512 * 1024;

    private final String ffprobe;
    private final String ffmpeg;

    /** Uses ffprobe and ffmpeg from the PATH. */
    public VideoProbe() {
        this(find("ffprobe"), find("ffmpeg"));
    }

    VideoProbe(String ffprobe, String ffmpeg) {
        this.ffprobe = ffprobe;
        this.ffmpeg = ffmpeg;
    }

    /** Whether the tools are there at all. */
    public boolean available() {
        return ffprobe != null && ffmpeg != null;
    }

    /** Probes a video; empty when the tools are missing or the file is not a video they understand. */
    public Optional<VideoInfo> probe(Path video) throws InterruptedException {
        if (!available()) {
            return Optional.empty();
        }
        String out;
        try {
            out = new String(run(List.of(ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=width,height:stream_tags=rotate:stream_side_data=rotation:format=duration", "-of",
                    "default=noprint_wrappers=1", video.toString()), 64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        int width = 0;
        int height = 0;
        int rotation = 0;
        double seconds = 0;
        for (String line : out.split("\n")) {
            String[] kv = line.strip().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            try {
                switch (kv[0]) {
                    case "width" -> width = Integer.parseInt(kv[1]);
                    case "height" -> height = Integer.parseInt(kv[1]);
                    case "duration" -> seconds = Double.parseDouble(kv[1]);
                    case "rotation", "TAG:rotate" -> rotation = (int) Double.parseDouble(kv[1]);
                    default -> {
                    }
                }
            } catch (NumberFormatException e) {
                // "N/A" and the like: leave the value unknown
            }
        }
        if (width <= 0 || height <= 0) {
            return Optional.empty();
        }
        if (Math.abs(rotation) % 180 == 90) { // shown turned, as players (and the poster) show it
            int w = width;
            width = height;
            height = w;
        }
        long millis = (long) (seconds * 1000);
        return Optional.of(new VideoInfo(width, height, millis, poster(video, millis)));
    }

    private byte[] poster(Path video, long durationMillis) throws InterruptedException {
        // A frame a little way in: the very first is often black.
        double at = durationMillis > 0 ? Math.min(1.0, durationMillis / 1000.0 / 10) : 0;
        try {
            byte[] jpeg = run(List.of(ffmpeg, "-v", "error", "-ss", String.format(java.util.Locale.ROOT, "%.3f", at),
                    "-i", video.toString(), "-frames:v", "1", "-vf", "scale='min(640,iw)':-2", "-f", "image2",
                    "-c:v", "mjpeg", "-q:v", "4", "pipe:1"), MAX_POSTER_BYTES);
            return jpeg.length > 2 && (jpeg[0] & 0xFF) == 0xFF && (jpeg[1] & 0xFF) == 0xD8 ? jpeg : new byte[0];
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] run(List<String> command, int maxBytes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            byte[] out = in.readNBytes(maxBytes + 1);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(command.get(0) + " took longer than " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || out.length > maxBytes) {
                throw new IOException(command.get(0) + " failed");
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String find(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
