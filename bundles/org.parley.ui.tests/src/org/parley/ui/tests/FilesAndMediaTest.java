package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.Downloads;
import org.parley.media.core.VideoProbe;
import org.parley.media.ui.MediaRenderer;
import org.parley.media.ui.MediaViewerPart;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.ui.ChatOpener;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Files, pictures and videos through the whole application against a real server, as users go through them: ann
 * (a plain client-core user) sends bob a picture, a short video, a document and a sound; bob (the application) is alerted,
 * sees the thumbnail and the video's poster in the chat, plays the sound inline, opens the picture in the viewer, plays the video and sees
 * its time advance, downloads the document (checked against its SHA-256), and pastes a picture into the chat,
 * which reaches ann. Screenshots of each view are saved.
 */
class FilesAndMediaTest {

    @TempDir
    Path temp;

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** A 640 x 480 picture drawn with SWT and saved as JPEG (made by the test, nothing downloaded). */
    private static Path picture(Display display, Path file, int format, int hue) {
        Image image = new Image(display, 640, 480);
        GC gc = new GC(image);
        for (int y = 0; y < 480; y += 8) {
            gc.setBackground(new org.eclipse.swt.graphics.Color(display, (hue + y / 3) % 256, 120, 255 - y / 2));
            gc.fillRectangle(0, y, 640, 8);
        }
        gc.setBackground(display.getSystemColor(SWT.COLOR_YELLOW));
        gc.fillOval(420, 60, 140, 140);
        gc.dispose();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(file.toString(), format);
        image.dispose();
        return file;
    }

    /** A 3-second 320 x 240 video with sound, made with the system's ffmpeg (the test script installs it). */
    private static Path video(Path file) throws Exception {
        return ffmpeg(file, "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=3", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac",
                "-shortest");
    }

    /** A 3-second tone in Ogg Vorbis. */
    private static Path tone(Path file) throws Exception {
        return ffmpeg(file, "-f", "lavfi", "-i", "sine=frequency=660:duration=3", "-c:a", "libvorbis");
    }

    private static Path ffmpeg(Path file, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg: " + out);
        return file;
    }

    private static HistoryView history(Display display) {
        ChatPart chat = (ChatPart) windowContext(display).get(EPartService.class).getParts().stream()
                .filter(p -> p.getObject() instanceof ChatPart).findFirst().orElseThrow().getObject();
        return chat.history();
    }

    private static MediaViewerPart viewer(Display display, String label) {
        for (MPart p : windowContext(display).get(EPartService.class).getParts()) {
            if (label.equals(p.getLabel()) && p.getObject() instanceof MediaViewerPart v) {
                return v;
            }
        }
        return null;
    }

    /** A left click on the middle of a message's body, as the mouse would give it. */
    private static void click(Display display, long seq) {
        HistoryView h = history(display);
        Rectangle b = h.bodyBounds(seq);
        for (int type : new int[] {SWT.MouseDown, SWT.MouseUp}) {
            Event e = new Event();
            e.button = 1;
            e.x = b.x + Math.min(b.width, 120) / 2;
            e.y = b.y + Math.min(b.height, 90) / 2;
            h.canvas().notifyListeners(type, e);
        }
    }

    private static void showChat(Display display) {
        EPartService parts = windowContext(display).get(EPartService.class);
        parts.getParts().stream().filter(p -> p.getObject() instanceof ChatPart).findFirst()
                .ifPresent(p -> parts.showPart(p, EPartService.PartState.ACTIVATE));
    }

    private static void screenshot(Display display, String name) {
        try {
            Ui.screenshot(Workbench.workbenchShell(display).orElseThrow(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void picturesVideosAndFilesReachTheChatAndOpenInside() throws Exception {
        Display display = Display.getDefault();
        Path files = Files.createDirectories(temp.resolve("files"));
        Path photo = picture(display, files.resolve("harbour.jpg"), SWT.IMAGE_JPEG, 30);
        Path pasted = picture(display, files.resolve("sketch.png"), SWT.IMAGE_PNG, 160);
        Path clip = video(files.resolve("clip.mp4"));
        Path song = tone(files.resolve("tone.ogg"));
        Path report = files.resolve("report.bin");
        byte[] bytes = new byte[3_000_000];
        new Random(7).nextBytes(bytes);
        Files.write(report, bytes);

        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser other = OtherUser.register(server.port, "ann", "Ann Lee")) {
            ParleyClient ann = other.client();
            List<Chat.ChatMessage> annGot = other.received();
            Workbench.useHome(temp.resolve("home"));

            Map<String, Transfers.UploadDone> sent = new ConcurrentHashMap<>();
            Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
            String[] failure = new String[1];
            List<String> launched = new java.util.concurrent.CopyOnWriteArrayList<>();
            Script script = new Script(display)
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent(),
                            () -> Thread.ofVirtual().start(() -> {
                                try { // ann sends three files, as a client of her own would
                                    conversation[0] = ann.openDirect("bob").get(30, TimeUnit.SECONDS);
                                    long c = conversation[0].id();
                                    FileTransfers t = new FileTransfers(ann);
                                    sent.put("photo", t.upload(c, photo, FileTransfers.UploadOptions.of(
                                            "image/jpeg").caption("the harbour at dawn"),
                                            FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS));
                                    VideoProbe.VideoInfo v = new VideoProbe().probe(clip).orElseThrow();
                                    sent.put("video", t.upload(c, clip, FileTransfers.UploadOptions.of("video/mp4")
                                            .video(v.width(), v.height(), v.durationMillis(), v.poster()),
                                            FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS));
                                    sent.put("report", t.upload(c, report, FileTransfers.UploadOptions.of(
                                            "application/octet-stream"), FileTransfers.Progress.NONE).result()
                                            .get(60, TimeUnit.SECONDS));
                                    sent.put("tone", t.upload(c, song, FileTransfers.UploadOptions.of(
                                            "audio/ogg"), FileTransfers.Progress.NONE).result()
                                            .get(60, TimeUnit.SECONDS));
                                } catch (Exception e) {
                                    failure[0] = e.toString();
                                }
                            }))
                    .step("ann's four files", () -> sent.size() == 4 || failure[0] != null, () -> {
                        assertNull(failure[0], "ann's uploads");
                        IEclipseContext ctx = windowContext(display);
                        assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                                ctx.get(MApplication.class), conversation[0]));
                    })
                    // the chat opens at the first unread file; End goes to the newest
                    .step("the chat with ann's files", () -> history(display).lastSeq() >= sent.get("tone").sent()
                            .seq(), () -> history(display).scrollToEnd())
                    .step("the newest files in the chat", () -> {
                        HistoryView h = history(display);
                        return h.bodyBounds(sent.get("tone").sent().seq()) != null
                                && h.bodyBounds(sent.get("report").sent().seq()) != null;
                    }, () -> {
                        String shown = history(display).visibleText();
                        assertTrue(shown.contains("tone.ogg") && shown.contains("report.bin"), shown);
                    })
                    .settle()
                    .step("the chat with media to show", () -> true, () -> {
                        screenshot(display, "chat-with-files");
                        // the audio plays inline: Play downloads it; then the player plays (muted: no sound card)
                        assertTrue(MediaRenderer.playAudio(sent.get("tone").attachment().fileId(), true));
                    })
                    .step("the inline audio player", () -> MediaRenderer.audioPlaybackSeconds(
                            sent.get("tone").attachment().fileId()) >= 0,
                            () -> MediaRenderer.playAudio(sent.get("tone").attachment().fileId(), true))
                    .step("the audio playing inline", () -> MediaRenderer.audioPlaybackSeconds(
                            sent.get("tone").attachment().fileId()) > 0.5, () -> {
                                screenshot(display, "chat-audio");
                                history(display).scrollToTop();
                            })
                    .step("the picture in view", () -> history(display).bodyBounds(sent.get("photo").sent().seq())
                            != null, () -> {
                                String shown = history(display).visibleText();
                                assertTrue(shown.contains("the harbour at dawn"), shown);
                                click(display, sent.get("photo").sent().seq());
                            })
                    .step("the picture viewer", () -> viewer(display, "harbour.jpg") != null
                            && viewer(display, "harbour.jpg").pictureBounds() != null, () -> {
                                Rectangle r = viewer(display, "harbour.jpg").pictureBounds();
                                assertEquals(640, r.width);
                                assertEquals(480, r.height);
                            })
                    .settle()
                    .step("the picture to show", () -> true, () -> {
                        screenshot(display, "picture-viewer");
                        showChat(display);
                        click(display, sent.get("video").sent().seq());
                    })
                    .step("the video player", () -> viewer(display, "clip.mp4") != null
                            && viewer(display, "clip.mp4").playbackSeconds() >= 0,
                            () -> viewer(display, "clip.mp4").play(true)) // no sound card under Xvfb: muted
                    .step("playback time advancing", () -> viewer(display, "clip.mp4").playbackSeconds() > 0.5,
                            () -> { })
                    .settle()
                    .step("the video to show", () -> true, () -> {
                        screenshot(display, "video-player");
                        showChat(display);
                        history(display).scrollToEnd();
                    })
                    .step("the file's Open button", () -> openButton(display) != null, () -> {
                        // the desktop's handler, as the test sees it: records what it is given
                        windowContext(display).get(MApplication.class).getContext().set(
                                org.parley.ui.Desktop.Launcher.class, f -> launched.add(f));
                        openButton(display).notifyListeners(SWT.Selection, new Event());
                    })
                    .step("the file downloaded and handed to the desktop", () -> Downloads.isComplete(
                            Downloads.cachePath(sent.get("report").attachment()), sent.get("report").attachment())
                            && !launched.isEmpty(), () -> {
                                try {
                                    Path got = Downloads.cachePath(sent.get("report").attachment());
                                    assertEquals(sha256(report), sha256(got), "the downloaded file's SHA-256");
                                    assertEquals(List.of(got.toString()), launched, "opened with the desktop");
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                paste(display, pasted);
                            })
                    .step("bob's pasted picture to reach ann", () -> annGot.stream().anyMatch(
                            m -> m.kind() == Chat.Kind.MEDIA && m.attachments().get(0).name().equals("sketch.png")),
                            () -> { })
                    .settle()
                    .step("the chat after sending", () -> true, () -> screenshot(display, "chat-after-paste"))
                    .step("close", () -> true, () -> Workbench.closeWorkbench(display));
            script.start();

            Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            Chat.Attachment got = annGot.stream().filter(m -> m.kind() == Chat.Kind.MEDIA).findFirst().orElseThrow()
                    .attachments().get(0);
            assertEquals("image/png", got.mediaType());
            assertTrue(got.thumbnail().length > 0, "the server made a thumbnail of the pasted picture");
        }
    }

    /** The Open button of the file's card in the chat history. */
    private static Button openButton(Display display) {
        Shell shell = Workbench.workbenchShell(display).orElseThrow();
        return Ui.find(shell, Button.class).stream().filter(b -> b.isVisible() && b.getText().equals("Open"))
                .findFirst().orElse(null);
    }

    /** Copies a file as a file manager does and presses Ctrl+V in the chat's entry field. */
    private static void paste(Display display, Path file) {
        Clipboard clipboard = new Clipboard(display);
        clipboard.setContents(new Object[] {new String[] {file.toString()}}, new Transfer[] {FileTransfer
                .getInstance()});
        clipboard.dispose();
        Text input = Ui.find(Workbench.workbenchShell(display).orElseThrow(), Text.class).stream()
                .filter(t -> (t.getStyle() & SWT.MULTI) != 0 && t.isVisible()).findFirst().orElseThrow();
        input.setFocus();
        Event e = new Event();
        e.keyCode = 'v';
        e.character = 0x16;
        e.stateMask = SWT.MOD1;
        input.notifyListeners(SWT.KeyDown, e);
    }
}
