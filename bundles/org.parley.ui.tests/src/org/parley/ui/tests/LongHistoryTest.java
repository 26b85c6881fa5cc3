package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Slider;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.client.core.ParleyClient;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;

/**
 * A conversation with a long history (100,000 messages unless {@code -Dparley.longHistory=N}) in the chat part:
 * only what is in view is loaded and kept, scrolling up and jumping to the top load older pages, new messages do
 * not pull a reader away from old ones, and the display thread keeps working while the server does not answer
 * (it is suspended with SIGSTOP while the history waits for a page). Behaviour only; no timings.
 */
class LongHistoryTest {

    private static final int MESSAGES = Integer.getInteger("parley.longHistory", 100_000);

    @TempDir
    Path temp;

    @Test
    void aLongHistoryLoadsPageByPageAndTheUiKeepsWorking() throws Exception {
        Path data = temp.resolve("server");
        long conversation;
        try (ServerProcess first = ServerProcess.start(data)) {
            ParleyClient ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", first.port).plaintext());
            ParleyClient bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", first.port).plaintext());
            ann.register("ann", "password-ann", "Ann").get(30, TimeUnit.SECONDS);
            bob.register("bob", "password-bob", "Bob").get(30, TimeUnit.SECONDS);
            conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
            ann.close();
            bob.close();
        }
        long started = System.nanoTime();
        seed(data, conversation, MESSAGES);
        System.out.printf("LongHistoryTest: seeded %,d messages in %.1f s%n", MESSAGES,
                (System.nanoTime() - started) / 1e9);

        try (ServerProcess server = ServerProcess.start(data)) {
            ParleyClient ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
            ParleyClient bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
            Shell shell = null;
            try {
                ann.login("ann", "password-ann").get(30, TimeUnit.SECONDS);
                bob.login("bob", "password-bob").get(30, TimeUnit.SECONDS);

                Display display = Display.getDefault();
                shell = new Shell(display);
                shell.setText("Parley long history test");
                shell.setLayout(new FillLayout());
                shell.setSize(1000, 700);
                ChatPart chat = open(shell, bob, conversation);
                shell.layout(true, true);
                shell.open();
                HistoryView history = chat.history();

                // The newest messages show; only the newest page is in memory.
                Ui.until(display, "the newest page", () -> history.lastSeq() == MESSAGES && allVisibleLoaded(history));
                assertThat(shows(history, MESSAGES)).as(history.visibleText()).isTrue();
                assertThat(history.isFollowingTail()).isTrue();
                assertThat(history.cachedMessages()).isLessThanOrEqualTo(300);
                Ui.settledScreenshot(shell, "long-history-newest");

                // Scrolling up with Page Up loads the pages above, page by page.
                for (int i = 0; i < 25; i++) {
                    key(history, SWT.PAGE_UP, 0);
                    Ui.until(display, "the rows in view after Page Up", () -> allVisibleLoaded(history));
                }
                long top = history.visibleSeqs().get(0);
                assertThat(top).isLessThan(MESSAGES - 300L);
                assertThat(shows(history, top)).as(history.visibleText()).isTrue();
                assertThat(history.isFollowingTail()).isFalse();

                // Home goes to the very first message, loading its page (and nothing in between).
                key(history, SWT.HOME, 0);
                Ui.until(display, "the first message", () -> history.visibleSeqs().get(0) == 1
                        && allVisibleLoaded(history));
                assertThat(history.visibleText()).startsWith(line(1) + "\n");
                assertThat(history.cachedMessages()).as("a bounded cache, not the whole history")
                        .isLessThanOrEqualTo(Math.min(MESSAGES, 4_000));
                Ui.settledScreenshot(shell, "long-history-top");

                // The server stops answering; the history jumps to the middle: rows wait as placeholders while
                // the display thread goes on handling events, typing and keys.
                server.suspend();
                try {
                    Slider slider = Ui.find(shell, Slider.class).get(0);
                    slider.setSelection(MESSAGES / 2);
                    slider.notifyListeners(SWT.Selection, new Event());
                    long middle = history.visibleSeqs().get(0);
                    assertThat(middle).isBetween(MESSAGES / 2 - 5L, MESSAGES / 2 + 5L);
                    assertThat(history.isLoaded(middle)).isFalse();
                    AtomicBoolean ran = new AtomicBoolean();
                    display.asyncExec(() -> ran.set(true));
                    Ui.until(display, "other work on the display thread", ran::get);
                    Text input = Ui.find(shell, Text.class).get(0);
                    input.setFocus();
                    input.insert("typing while the server is stuck");
                    assertThat(input.getText()).isEqualTo("typing while the server is stuck");
                    key(history, SWT.ARROW_DOWN, 0);
                    key(history, SWT.PAGE_DOWN, 0);
                    assertThat(history.visibleSeqs().get(0)).isGreaterThan(middle);
                    assertThat(history.isLoaded(history.visibleSeqs().get(0))).isFalse();
                    Ui.settledScreenshot(shell, "long-history-waiting");
                } finally {
                    server.resume();
                }
                Ui.until(display, "the middle pages once the server answers", () -> allVisibleLoaded(history));
                long now = history.visibleSeqs().get(0);
                assertThat(history.visibleText()).startsWith(line(now));

                // A new message while reading old ones: no jump, a "new messages" button instead.
                ann.send(conversation, "the newest").get(30, TimeUnit.SECONDS);
                Ui.until(display, "the new message to arrive", () -> history.lastSeq() == MESSAGES + 1);
                assertThat(history.visibleSeqs().get(0)).isEqualTo(now);
                assertThat(history.newBelow()).isEqualTo(1);
                Ui.settledScreenshot(shell, "long-history-new-below");

                // End goes to the newest message and stays with it: the next one scrolls into view by itself.
                key(history, SWT.END, 0);
                Ui.until(display, "the newest message", () -> history.visibleText().contains("ann: the newest\n"));
                assertThat(history.isFollowingTail()).isTrue();
                ann.send(conversation, "and one more").get(30, TimeUnit.SECONDS);
                Ui.until(display, "the next one, scrolled into view",
                        () -> history.visibleText().endsWith("ann: and one more\n"));

                // Copy: the last two messages, selected with the keyboard.
                history.canvas().setFocus();
                key(history, SWT.END, 0);
                key(history, SWT.ARROW_UP, SWT.SHIFT);
                key(history, 'c', SWT.MOD1);
                String copied = clipboard(display);
                assertThat(copied).contains("ann: the newest").contains("ann: and one more")
                        .doesNotContain("message " + MESSAGES + "\n");

                // Select all and copy: what is not in memory is fetched by a job; the clipboard gets it all.
                key(history, 'a', SWT.MOD1);
                key(history, 'c', SWT.MOD1);
                String first = line(1).replace("ann: ", "] ann: ") + System.lineSeparator();
                Ui.until(display, "the whole history on the clipboard", 180, () -> {
                    String c = clipboard(display);
                    return c != null && c.contains(first);
                });
                String all = clipboard(display);
                assertThat(all.lines().count()).isEqualTo(MESSAGES + 2L);
                assertThat(all.lines().filter(l -> l.endsWith("] " + line(MESSAGES / 2))).count()).isOne();
                assertThat(all).endsWith("] ann: and one more" + System.lineSeparator());
                assertThat(history.cachedMessages()).as("copying does not fill the history's cache")
                        .isLessThanOrEqualTo(Math.min(MESSAGES + 2, 4_000));

                // The server goes away: the chat says so and still scrolls.
                server.close();
                List<Label> labels = Ui.find(shell, Label.class);
                Ui.until(display, "the offline notice", () -> labels.stream().anyMatch(
                        l -> l.getText().startsWith("Offline")));
                key(history, SWT.HOME, 0);
                assertThat(history.visibleSeqs().get(0)).isEqualTo(1L);
                Ui.settledScreenshot(shell, "long-history-offline");
            } finally {
                if (shell != null) {
                    shell.dispose();
                }
                ann.close();
                bob.close();
            }
        }
    }

    /**
     * Writes {@code count} messages into the stopped server's data directory with the server's own storage code
     * (seed/SeedHistory.java, run against the server jar): seq N says "message N", every fourth is bob's.
     */
    static void seed(Path dataDir, long conversation, int count) throws Exception {
        Path source = Files.createTempDirectory("parley-seed").resolve("SeedHistory.java");
        try (InputStream in = FrameworkUtil.getBundle(LongHistoryTest.class).getEntry("seed/SeedHistory.java")
                .openStream()) {
            Files.copy(in, source);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("parley.server.jar"), source.toString(),
                dataDir.toString(), String.valueOf(conversation), "ann", "bob", String.valueOf(count))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("seeded up to seq " + count);
    }

    /** What the history shows for a seeded message (bob's own ones end with their state). */
    static String line(long seq) {
        return (seq % 4 == 0 ? "bob" : "ann") + ": message " + seq;
    }

    /** Whether the view shows the seeded message {@code seq} as a line of its own. */
    private static boolean shows(HistoryView history, long seq) {
        return ("\n" + history.visibleText()).contains("\n" + line(seq) + (seq % 4 == 0 ? " ✓" : "\n"));
    }

    private static ChatPart open(Shell shell, ParleyClient client, long conversation) {
        IEclipseContext context = EclipseContextFactory.create("long history test");
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, client);
        context.set(MPart.class, part);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        return ContextInjectionFactory.make(ChatPart.class, context);
    }

    private static boolean allVisibleLoaded(HistoryView history) {
        List<Long> seqs = history.visibleSeqs();
        return !seqs.isEmpty() && seqs.stream().allMatch(history::isLoaded);
    }

    /** A key press on the history, as the keyboard would deliver it. */
    static void key(HistoryView history, int keyCode, int stateMask) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = keyCode < 0x10000 ? (char) keyCode : 0;
        e.stateMask = stateMask;
        history.canvas().notifyListeners(SWT.KeyDown, e);
    }

    static String clipboard(Display display) {
        Clipboard c = new Clipboard(display);
        try {
            return (String) c.getContents(TextTransfer.getInstance());
        } finally {
            c.dispose();
        }
    }
}
