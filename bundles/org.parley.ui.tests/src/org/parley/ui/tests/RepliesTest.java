package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MTrimmedWindow;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.chat.ui.internal.Markdown;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.ui.Desktop;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;

/**
 * Replies and links to messages (issue 13, item 3, and Copy Link), with two users on a real server, each in a chat
 * part of their own side by side: bob's Reply on ann's message shows "Replying to …" (Esc cancels), the reply shows
 * its quote on both sides, a quote of a picture has its thumbnail, a click on a quote whose original lies far back
 * beyond the loaded pages opens the history there without loading what is between; Copy Link puts the message's
 * parley: link on the clipboard, and the link, sent and clicked, shows that message; a link to a conversation bob is
 * not a member of says so, and no parley: link ever goes to the desktop.
 */
class RepliesTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private ParleyClient ann;
    private ParleyClient bob;
    private Display display;
    private Shell shell;
    /** What the chats handed to the desktop (the window's launcher is this test's: nothing is opened). */
    private final List<String> launched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ann.register("ann", "password-ann", "Ann Lee").get(30, TimeUnit.SECONDS);
        bob.register("bob", "password-bob", "Bob Roy").get(30, TimeUnit.SECONDS);
        // contacts: each client knows the other's display name
        bob.requestContact("ann").get(30, TimeUnit.SECONDS);
        ann.answerContact("bob", true).get(30, TimeUnit.SECONDS);
        bob.listContacts().get(30, TimeUnit.SECONDS);
        ann.listContacts().get(30, TimeUnit.SECONDS);
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("Parley replies test");
        shell.setLayout(new FillLayout());
        shell.setSize(1280, 640);
        MTrimmedWindow window = MBasicFactory.INSTANCE.createTrimmedWindow();
        IEclipseContext windowContext = EclipseContextFactory.create("window");
        windowContext.set(Desktop.Launcher.class, launched::add);
        window.setContext(windowContext);
        shell.setData("modelElement", window);
    }

    @AfterEach
    void stop() throws Exception {
        if (shell != null) {
            shell.dispose();
        }
        ann.close();
        bob.close();
        server.close();
    }

    /** A chat part of {@code client}'s user, as the workbench makes one, next to the others in the window. */
    private ChatPart openChat(long conversation, ParleyClient client) {
        IEclipseContext context = EclipseContextFactory.create("chat of " + client.user());
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, client);
        context.set(MPart.class, part);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        return ContextInjectionFactory.make(ChatPart.class, context);
    }

    private static Text entryField(ChatPart chat) {
        Composite root = chat.history().control().getParent();
        return Ui.find(root, Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst()
                .orElseThrow();
    }

    /** Sends {@code count} messages as ann, and waits for the last one to be stored; its seq. */
    private long annWrites(long conversation, String prefix, int count) throws Exception {
        CompletableFuture<org.parley.protocol.message.Chat.Sent> last = null;
        for (int i = 1; i <= count; i++) {
            last = ann.send(conversation, prefix + " " + i);
        }
        return last.get(60, TimeUnit.SECONDS).seq();
    }

    @Test
    void aReplyShowsItsQuoteOnBothSidesAndAClickOnTheQuoteOpensTheOriginalFarBack() throws Exception {
        long c = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        Path photo = picture(temp.resolve("harbour.jpg"));
        long picture = new FileTransfers(ann).upload(c, photo, FileTransfers.UploadOptions.of("image/jpeg")
                .caption("the harbour at dawn"), FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS)
                .sent().seq();
        long question = ann.send(c, "Lunch at **noon**?\nOr later?").get(30, TimeUnit.SECONDS).seq();
        long newest = annWrites(c, "filler", 300);
        // bob has written since: his chat opens at the newest, ann's at his line (a chat opens at the first unread)
        long back = bob.send(c, "back from the meeting").get(30, TimeUnit.SECONDS).seq();

        ChatPart bobChat = openChat(c, bob);
        ChatPart annChat = openChat(c, ann);
        HistoryView bobs = bobChat.history();
        HistoryView anns = annChat.history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "both histories at the newest", () -> bobs.visibleSeqs().contains(newest)
                && bobs.visibleSeqs().contains(back) && anns.visibleSeqs().contains(newest)
                && bobs.bodyBounds(newest) != null);
        assertThat(bobs.isLoaded(question)).as("the question lies beyond the loaded pages").isFalse();

        // Reply in the message's menu: the banner says to what; Esc cancels it
        choose(bobs, newest, "&Reply");
        assertThat(bobChat.replyBannerText()).isEqualTo("Replying to Ann Lee: filler 300");
        assertThat(bobChat.replyingTo()).isEqualTo(newest);
        key(entryField(bobChat), SWT.ESC, (char) SWT.ESC);
        assertThat(bobChat.replyBannerText()).isNull();
        assertThat(bobChat.replyingTo()).isZero();

        choose(bobs, newest, "&Reply");
        Ui.settledScreenshot(shell, "reply-banner");
        entryField(bobChat).setText("Sounds good");
        key(entryField(bobChat), SWT.CR, '\r');
        anns.scrollToEnd(); // ann reads on
        Ui.until(display, "bob's reply with its quote in ann's chat", () -> anns.visibleSeqs().stream().anyMatch(
                s -> "Sounds good".equals(anns.message(s).text()) && "Ann Lee: filler 300".equals(anns.quoteText(s))));
        long reply = anns.lastSeq();
        assertThat(anns.message(reply).replyTo()).isEqualTo(newest);
        Ui.until(display, "and in bob's", () -> "Ann Lee: filler 300".equals(bobs.quoteText(reply)));
        assertThat(bobChat.replyBannerText()).as("the banner goes once the reply is sent").isNull();

        // ann answers the question from far back, and bob answers her picture (both not loaded: fetched alone)
        long answer = ann.send(c, UUID.randomUUID().toString(), "Noon, at the usual place", question)
                .get(30, TimeUnit.SECONDS).seq();
        long praise = bob.send(c, UUID.randomUUID().toString(), "Beautiful!", picture).get(30, TimeUnit.SECONDS)
                .seq();
        Ui.until(display, "the quotes of the originals far back, on both sides", () ->
                "Ann Lee: Lunch at noon?".equals(bobs.quoteText(answer))
                && "Ann Lee: the harbour at dawn".equals(bobs.quoteText(praise))
                && "Ann Lee: Lunch at noon?".equals(anns.quoteText(answer))
                && "Ann Lee: the harbour at dawn".equals(anns.quoteText(praise)));
        assertThat(bobs.quoteHasThumbnail(praise)).as("a picture's quote shows its thumbnail").isTrue();
        assertThat(bobs.quoteHasThumbnail(answer)).isFalse();
        assertThat(bobs.isLoaded(question)).as("fetched for the quote without loading the history").isFalse();
        assertThat(bobs.isLoaded(question + 100)).isFalse();
        Ui.settledScreenshot(shell, "reply-quotes");

        // a click on the quote opens the history at the question, selected, its neighbours loaded, not the middle
        Rectangle quote = bobs.quoteBounds(answer);
        click(bobs, quote.x + 20, quote.y + quote.height / 2);
        Ui.until(display, "the question shown and selected", () -> bobs.visibleSeqs().contains(question)
                && java.util.Arrays.equals(bobs.selection(), new long[] {question, question}));
        assertThat(bobs.isLoaded(question + 1)).isTrue();
        assertThat(bobs.isLoaded(question + 150)).as("the middle of the history is not loaded").isFalse();
        Ui.settledScreenshot(shell, "reply-jump-to-original");
        assertThat(launched).isEmpty();

        // ann deletes the picture for everyone: the reply to it says so on both sides, without its thumbnail (bob's
        // view goes back to the newest messages, which it let go of while showing the question)
        ann.deleteMessage(c, picture).get(30, TimeUnit.SECONDS);
        bobs.scrollToEnd();
        try {
            Ui.until(display, "the quote of the deleted picture", () -> "Ann Lee: Original message deleted".equals(
                    bobs.quoteText(praise)) && "Ann Lee: Original message deleted".equals(anns.quoteText(praise)));
        } catch (AssertionError e) {
            assertThat(java.util.Arrays.asList(bobs.quoteText(praise), anns.quoteText(praise)))
                    .as("bob's and ann's quotes of the deleted picture").containsOnly(
                            "Ann Lee: Original message deleted");
        }
        assertThat(bobs.quoteHasThumbnail(praise)).isFalse();
        assertThat(bobs.quoteText(answer)).as("the other quote is unchanged").isEqualTo("Ann Lee: Lunch at noon?");
    }

    /**
     * A file pasted (as from a file manager) into the entry field while a reply is being composed goes as the reply:
     * its message carries the original's seq, both sides show the quote above the file, and the reply bar closes.
     */
    @Test
    void aFilePastedWhileReplyingIsSentAsTheReply() throws Exception {
        long c = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        long question = ann.send(c, "Can you send me the **minutes**?").get(30, TimeUnit.SECONDS).seq();
        Path minutes = Files.writeString(temp.resolve("minutes.txt"), "1. lunch at noon\n");
        ChatPart bobChat = openChat(c, bob);
        ChatPart annChat = openChat(c, ann);
        HistoryView bobs = bobChat.history();
        HistoryView anns = annChat.history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "ann's question on both sides", () -> bobs.bodyBounds(question) != null
                && anns.visibleSeqs().contains(question));

        choose(bobs, question, "&Reply");
        assertThat(bobChat.replyingTo()).isEqualTo(question);
        paste(entryField(bobChat), minutes);
        Ui.until(display, "bob's file with its quote in ann's chat", () -> anns.lastSeq() > question
                && anns.message(anns.lastSeq()) != null && !anns.message(anns.lastSeq()).attachments().isEmpty()
                && "Ann Lee: Can you send me the minutes?".equals(anns.quoteText(anns.lastSeq())));
        long file = anns.lastSeq();
        assertThat(anns.message(file).attachments().get(0).name()).isEqualTo("minutes.txt");
        assertThat(anns.message(file).replyTo()).isEqualTo(question);
        Ui.until(display, "and in bob's", () -> "Ann Lee: Can you send me the minutes?".equals(bobs.quoteText(file)));
        assertThat(bobChat.replyBannerText()).as("the bar goes once the file is sent as the reply").isNull();
        assertThat(bobChat.replyingTo()).isZero();
        assertThat(bob.fetchBefore(c, 0, 1).get(30, TimeUnit.SECONDS).messages().get(0).replyTo())
                .as("stored as a reply").isEqualTo(question);
        Ui.settledScreenshot(shell, "reply-with-file");
    }

    /** Copies a file as a file manager does and presses Ctrl+V in the entry field (as FilesAndMediaTest). */
    private void paste(Text input, Path file) {
        Clipboard clipboard = new Clipboard(display);
        clipboard.setContents(new Object[] {new String[] {file.toString()}}, new org.eclipse.swt.dnd.Transfer[] {
            org.eclipse.swt.dnd.FileTransfer.getInstance()});
        clipboard.dispose();
        input.setFocus();
        Event e = new Event();
        e.keyCode = 'v';
        e.character = 0x16;
        e.stateMask = SWT.MOD1;
        input.notifyListeners(SWT.KeyDown, e);
    }

    @Test
    void copyLinkGivesTheMessagesLinkWhichOpensItWhenClickedAndAStrangersLinkSaysSo() throws Exception {
        long c = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        annWrites(c, "note", 250);
        long newest = bob.send(c, "read them all").get(30, TimeUnit.SECONDS).seq(); // opens at the newest
        ChatPart bobChat = openChat(c, bob);
        HistoryView bobs = bobChat.history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "bob's history", () -> bobs.visibleSeqs().contains(newest));

        // bob opens the history at message 5 (as a search hit) and copies its link
        bobs.showMessage(5);
        Ui.until(display, "message 5 in view", () -> bobs.visibleSeqs().contains(5L) && bobs.bodyBounds(5) != null);
        choose(bobs, 5, "Copy &Link");
        String link = clipboardText();
        assertThat(link).isEqualTo("parley:conversation/" + c + "/message/5");

        // back at the newest, he sends the link as it was copied; a click on it shows message 5 again
        bobs.scrollToEnd();
        entryField(bobChat).setText("see " + link);
        key(entryField(bobChat), SWT.CR, '\r');
        Ui.until(display, "the link in bob's message", () -> bobs.visibleSeqs().stream().anyMatch(
                s -> bobs.formatted(s) != null && bobs.formatted(s).text().equals("see " + link)));
        long mine = bobs.lastSeq();
        Markdown.Span span = bobs.formatted(mine).of(Markdown.Style.LINK).get(0);
        assertThat(span.target()).isEqualTo(link);
        bobs.select(mine, mine);
        Ui.until(display, "bob's message at rest", () -> bobs.spanBounds(mine, span) != null);
        Rectangle at = bobs.spanBounds(mine, span);
        click(bobs, at.x + at.width / 2, at.y + at.height / 2);
        Ui.until(display, "message 5 shown and selected", () -> bobs.visibleSeqs().contains(5L)
                && java.util.Arrays.equals(bobs.selection(), new long[] {5, 5}));
        assertThat(launched).as("a parley: link never goes to the desktop").isEmpty();

        // a link to a group bob is not a member of: said in the chat, nothing opened
        ParleyClient cat = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        try {
            cat.register("cat", "password-cat", "Cat Moss").get(30, TimeUnit.SECONDS);
            long secret = ann.createGroup("Secret", List.of("cat")).get(30, TimeUnit.SECONDS).id();
            String stranger = "parley:conversation/" + secret + "/message/1";
            long theirs = ann.send(c, "look: " + stranger).get(30, TimeUnit.SECONDS).seq();
            bobs.scrollToEnd();
            Ui.until(display, "ann's link in view", () -> bobs.formatted(theirs) != null
                    && bobs.spanBounds(theirs, bobs.formatted(theirs).of(Markdown.Style.LINK).get(0)) != null);
            Rectangle s = bobs.spanBounds(theirs, bobs.formatted(theirs).of(Markdown.Style.LINK).get(0));
            click(bobs, s.x + s.width / 2, s.y + s.height / 2);
            Ui.until(display, "the chat saying so", () -> bobChat.statusText().equals(
                    "That link is to a conversation you are not a member of."));
            Ui.settledScreenshot(shell, "message-link-not-a-member");
            assertThat(launched).isEmpty();
        } finally {
            cat.close();
        }
    }

    private String clipboardText() {
        Clipboard clipboard = new Clipboard(display);
        try {
            return (String) clipboard.getContents(TextTransfer.getInstance());
        } finally {
            clipboard.dispose();
        }
    }

    /** Chooses a message action in the history's context menu opened on message {@code seq} (as ChatPartTest). */
    private static void choose(HistoryView history, long seq, String label) {
        Rectangle body = history.bodyBounds(seq);
        org.eclipse.swt.graphics.Point at = history.canvas().toDisplay(body.x + 4, body.y + 4);
        Event detect = new Event();
        detect.detail = SWT.MENU_MOUSE;
        detect.x = at.x;
        detect.y = at.y;
        history.canvas().notifyListeners(SWT.MenuDetect, detect);
        Menu menu = history.canvas().getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        MenuItem item = java.util.Arrays.stream(menu.getItems()).filter(i -> i.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " in " + java.util.Arrays.stream(
                        menu.getItems()).map(MenuItem::getText).toList()));
        menu.notifyListeners(SWT.Hide, new Event());
        item.notifyListeners(SWT.Selection, new Event());
    }

    /** A key pressed in the entry field, as the widget hands it to its listeners. */
    private static void key(Text input, int keyCode, char character) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = character;
        e.doit = true;
        input.notifyListeners(SWT.KeyDown, e);
    }

    /** A left click at (x, y) of the history, as the mouse gives it. */
    private static void click(HistoryView history, int x, int y) {
        for (int type : new int[] {SWT.MouseDown, SWT.MouseUp}) {
            Event e = new Event();
            e.button = 1;
            e.x = x;
            e.y = y;
            history.canvas().notifyListeners(type, e);
        }
    }

    /** A 640 x 480 picture of stripes and a sun. */
    private Path picture(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Image image = new Image(display, 640, 480);
        GC gc = new GC(image);
        for (int y = 0; y < 480; y += 8) {
            gc.setBackground(new org.eclipse.swt.graphics.Color(display, (30 + y / 3) % 256, 120, 255 - y / 2));
            gc.fillRectangle(0, y, 640, 8);
        }
        gc.setBackground(display.getSystemColor(SWT.COLOR_YELLOW));
        gc.fillOval(420, 60, 140, 140);
        gc.dispose();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(file.toString(), SWT.IMAGE_JPEG);
        image.dispose();
        return file;
    }
}
