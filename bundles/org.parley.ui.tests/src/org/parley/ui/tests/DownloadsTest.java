package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.parts;
import static org.parley.ui.testing.Workbench.window;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.DownloadFolder;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.FileChooser;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.ui.ChatOpener;
import org.parley.ui.Desktop;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Downloads as a user meets them, through the whole application against a real server: Save as… on a received
 * file starts in the Downloads folder, then in the last folder saved to; the finished download says where it went
 * (the Transfers view's row) and Show in folder, in the row and on the chat's card, hands that folder to the
 * desktop (a recording {@link Desktop.Launcher}). The save dialog is a {@link FileChooser} service of the test's.
 */
class DownloadsTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser other;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        other = OtherUser.register(server.port, "ann", "Ann Lee");
        Workbench.useHome(temp.resolve("home"));
        // as on a first start: no folder saved to yet
        InstanceScope.INSTANCE.getNode("org.parley.filetransfer.ui").remove("lastSaveFolder");
    }

    @AfterEach
    void stop() throws Exception {
        other.close();
        server.close();
    }

    /** The visible button with this text: in the Transfers view's rows ({@code inTransfers}) or elsewhere. */
    private static Button button(Display display, String text, boolean inTransfers) {
        return Ui.find(window(display), Button.class).stream().filter(b -> b.isVisible() && b.getText().equals(text)
                && (b.getData("parley.job") != null) == inTransfers).findFirst().orElse(null);
    }

    /** The Transfers view's visible labels, joined. */
    private static String transfersShown(Display display) {
        MPart part = parts(display).findPart("org.parley.filetransfer.ui.transfers");
        if (part == null || !(part.getWidget() instanceof Composite c) || c.isDisposed()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (Control w : Ui.find(c, Control.class)) {
            if (w.isVisible() && w instanceof Label l) {
                s.append(l.getText()).append('\n');
            }
        }
        return s.toString();
    }

    /**
     * Whether the file card of the chat's newest message has its buttons (Open, Save as…, Show in folder) under the
     * name and size rather than over them: they start below the card's first row (icon, name, size), and wrap
     * within the card.
     */
    private static boolean buttonsUnderTheName(Display display, long conversationId) {
        MPart part = ChatOpener.find(parts(display), conversationId);
        if (part == null || !(part.getObject() instanceof org.parley.chat.ui.internal.ChatPart chat)) {
            return false;
        }
        org.eclipse.swt.graphics.Rectangle body = chat.history().bodyBounds(chat.history().lastSeq());
        Button open = button(display, "Open", false);
        if (body == null || open == null) {
            return false;
        }
        org.eclipse.swt.graphics.Rectangle buttons = open.getParent().getParent().getBounds(); // the card's box
        return buttons.y >= body.y + 36 + 8 // under the icon, the name and the size
                && buttons.x >= body.x && buttons.x + buttons.width <= body.x + body.width; // within the card
    }

    private static void click(Button b) {
        b.notifyListeners(SWT.Selection, new Event());
    }

    @Test
    void saveAsStartsInDownloadsAndTheFinishedDownloadShowsItsFolder() throws Exception {
        Display display = Display.getDefault();
        Path report = Files.write(Files.createDirectories(temp.resolve("files")).resolve("report.bin"),
                new Random(7).ints(300_000).mapToObj(i -> (byte) i).collect(java.io.ByteArrayOutputStream::new,
                        java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        Path chosen = Files.createDirectories(temp.resolve("chosen folder"));
        ParleyClient ann = other.client();
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        Map<String, Object> done = new ConcurrentHashMap<>();
        // the save dialog: records where it starts; saves into "chosen folder" the first time, cancels after that
        List<Path> startedIn = new CopyOnWriteArrayList<>();
        BundleContext osgi = FrameworkUtil.getBundle(DownloadsTest.class).getBundleContext();
        ServiceRegistration<FileChooser> chooser = osgi.registerService(FileChooser.class, new FileChooser() {
            @Override
            public List<Path> choose(Shell parent, String title) {
                return List.of();
            }

            @Override
            public Path saveTarget(Shell parent, String title, Path folder, String fileName) {
                startedIn.add(folder);
                return startedIn.size() == 1 ? chosen.resolve(fileName) : null;
            }
        }, null);
        List<String> launched = new CopyOnWriteArrayList<>();
        Path expectedStart = DownloadFolder.ofSystem().downloads();
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                            // ann sends a file (off the client's own threads, which the upload needs)
                            ann.openDirect("bob").thenAccept(c -> Thread.ofVirtual().start(() -> {
                                conversation[0] = c;
                                try {
                                    done.put("report", new FileTransfers(ann).upload(c.id(), report,
                                            FileTransfers.UploadOptions.of("application/octet-stream"),
                                            FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS));
                                } catch (Exception e) {
                                    done.put("failure", e);
                                }
                            }));
                        })
                .step("ann's file sent", () -> done.containsKey("report") || done.containsKey("failure"), () -> {
                    assertNull(done.get("failure"), "ann's upload");
                    IEclipseContext ctx = windowContext(display);
                    // the desktop, as the test sees it: records what it is given
                    ctx.get(MApplication.class).getContext().set(Desktop.Launcher.class, f -> launched.add(f));
                    assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                            ctx.get(MApplication.class), conversation[0]));
                })
                .step("the file's card with Save as…", () -> button(display, "Save as\u2026", false) != null,
                        () -> {
                            assertNull(button(display, "Show in folder", false), "nothing saved yet");
                            click(button(display, "Save as\u2026", false));
                        })
                .step("the save dialog asked", () -> !startedIn.isEmpty(), () -> {
                    assertEquals(expectedStart, startedIn.get(0), "Save as… starts in the Downloads folder");
                    parts(display).showPart("org.parley.filetransfer.ui.transfers", EPartService.PartState.VISIBLE);
                })
                .step("the finished download in the Transfers view, saying where it went",
                        () -> transfersShown(display).contains("to " + chosen.resolve("report.bin"))
                                && button(display, "Show in folder", true) != null, () -> {
                            String shown = transfersShown(display);
                            assertTrue(shown.contains(chosen.resolve("report.bin").toString()), shown);
                            click(button(display, "Show in folder", true));
                            assertEquals(List.of(chosen.toString()), launched, "the row's Show in folder");
                        })
                .step("Show in folder on the chat's card", () -> button(display, "Show in folder", false) != null,
                        () -> {
                            assertTrue(button(display, "Show in folder", false).getToolTipText()
                                    .contains(chosen.resolve("report.bin").toString()));
                            click(button(display, "Show in folder", false));
                            assertEquals(List.of(chosen.toString(), chosen.toString()), launched,
                                    "the card's Show in folder");
                        })
                .settle()
                .step("the window to show", () -> true, () -> {
                    try {
                        Ui.screenshot(window(display), "download-show-in-folder");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    click(button(display, "Save as\u2026", false));
                })
                .step("the save dialog asked again", () -> startedIn.size() == 2, () -> {
                    assertEquals(chosen, startedIn.get(1), "Save as… starts in the folder saved to last");
                    IEclipseContext ctx = windowContext(display);
                    assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                            ctx.get(MApplication.class), conversation[0])); // the chat in front again
                    window(display).setSize(400, 640); // a narrow chat window
                })
                .settle()
                .step("in a narrow window, the card's buttons under the file's name, not over it",
                        () -> buttonsUnderTheName(display, conversation[0].id()), () -> {
                            try {
                                Ui.screenshot(window(display), "file-card-narrow");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        script.onFailure(() -> Workbench.closeWorkbench(display));
        try {
            script.start();
            Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        } finally {
            chooser.unregister();
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(report), Files.readAllBytes(chosen.resolve(
                "report.bin"))), "the saved file is ann's");
        assertTrue(((Transfers.UploadDone) done.get("report")).attachment().size() == Files.size(report));
    }
}
