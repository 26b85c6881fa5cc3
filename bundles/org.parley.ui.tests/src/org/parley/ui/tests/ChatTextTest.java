package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MTrimmedWindow;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
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
import org.parley.ui.Desktop;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;

/**
 * The text of chat messages as users of Slack or Element expect it (issue 13, items 5 to 7), with two real clients
 * and a real server: Markdown shown formatted while the raw text is what is stored and copied, links opened only
 * when clicked.
 */
class ChatTextTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private ParleyClient ann;
    private ParleyClient bob;
    private Display display;
    private Shell shell;
    /** What the chat handed to the desktop to open (the window's launcher is this test's: nothing is opened). */
    private final List<String> launched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ann.register("ann", "password-ann", "Ann Lee").get(30, TimeUnit.SECONDS);
        bob.register("bob", "password-bob", "Bob Roy").get(30, TimeUnit.SECONDS);
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("Parley chat text test");
        shell.setLayout(new FillLayout());
        shell.setSize(900, 640);
        // The window's Eclipse context, as the workbench's would be: links go to this launcher.
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

    private ChatPart openChat(long conversation) {
        IEclipseContext context = EclipseContextFactory.create("chat test");
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, bob);
        context.set(MPart.class, part);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        return ContextInjectionFactory.make(ChatPart.class, context);
    }

    private Text entryField() {
        return Ui.find(shell, Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0 && t.isVisible())
                .findFirst().orElseThrow();
    }

    /**
     * Item 6: ann's Markdown shows in bob's chat as bold, italic, struck through, code, a code block, a quote, a
     * list and a link, without the marks; the stored text (what bob's client received, what Copy gives) is the raw
     * Markdown; a link opens only when clicked, and a link to anything but the web is never opened.
     */
    @Test
    void markdownIsShownFormattedWhileTheRawTextIsStoredAndCopied() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        String raw = "Release **today** at _five_, ~~tomorrow~~ see `deploy.sh` and [the notes](https://example.org/"
                + "notes)\n> ship it\n\n- build\n- test\n\n1. tag\n2. push\n\n```\nint x = 1;\nint y = 2;\n```\n"
                + "not a link: [bad](file:///etc/passwd) *not bold*";
        long seq = ann.send(conversation, raw).get(30, TimeUnit.SECONDS).seq();

        HistoryView history = openChat(conversation).history();
        shell.layout(true, true);
        shell.open();
        shell.forceActive(); // real clicks and keys go to the window in front
        Ui.until(display, "ann's message formatted", () -> history.formatted(seq) != null
                && display.getActiveShell() == shell);

        Markdown.Formatted f = history.formatted(seq);
        assertThat(f.text()).doesNotContain("**").doesNotContain("~~").doesNotContain("`").doesNotContain("](")
                .doesNotContain("```").contains("Release today at five, tomorrow see deploy.sh and the notes")
                .contains("\u2022 build").contains("1. tag").contains("int x = 1;\nint y = 2;").contains("ship it");
        assertThat(texts(f, Markdown.Style.BOLD)).containsExactly("today");
        assertThat(texts(f, Markdown.Style.ITALIC)).containsExactly("five", "not bold");
        assertThat(texts(f, Markdown.Style.STRIKE)).containsExactly("tomorrow");
        assertThat(texts(f, Markdown.Style.CODE)).containsExactly("deploy.sh");
        assertThat(texts(f, Markdown.Style.CODE_BLOCK)).containsExactly("int x = 1;\nint y = 2;");
        assertThat(texts(f, Markdown.Style.QUOTE)).anyMatch(t -> t.contains("ship it"));
        assertThat(f.of(Markdown.Style.LINK).stream().map(Markdown.Span::target).toList())
                .containsExactly("https://example.org/notes", "file:///etc/passwd");
        assertThat(history.copyText(seq)).as("Copy gives the raw text").isEqualTo(raw);
        assertThat(history.message(seq).text()).as("what the server stored and sent").isEqualTo(raw);
        assertThat(launched).as("nothing opened or fetched by showing a link").isEmpty();

        // a click on the link opens it in the browser (the window's launcher); the file: link is not opened
        Markdown.Span link = f.of(Markdown.Style.LINK).get(0);
        Rectangle at = history.spanBounds(seq, link);
        click(history, at.x + at.width / 2, at.y + at.height / 2);
        try {
            Ui.until(display, "the link opened", () -> !launched.isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": clicked at " + at + " of the history, selection "
                    + java.util.Arrays.toString(history.selection()) + ", body " + history.bodyBounds(seq)
                    + ", active shell " + display.getActiveShell() + ", cursor at " + display.getCursorLocation()
                    + " = " + history.canvas().toControl(display.getCursorLocation()), e);
        }
        assertThat(launched).containsExactly("https://example.org/notes");
        Rectangle bad = history.spanBounds(seq, f.of(Markdown.Style.LINK).get(1));
        click(history, bad.x + bad.width / 2, bad.y + bad.height / 2);
        Ui.settle(display);
        assertThat(launched).as("a file: link is never opened").containsExactly("https://example.org/notes");

        // bob's own Markdown: sent raw, shown formatted
        Text input = entryField();
        input.setText("**done** with `x`");
        typeIntoEntry(input, "\r");
        Ui.until(display, "bob's message formatted", () -> history.visibleSeqs().stream().anyMatch(
                s -> history.formatted(s) != null && history.formatted(s).text().equals("done with x")));
        assertThat(ann.fetchBefore(conversation, 0, 10).get(30, TimeUnit.SECONDS).messages().stream()
                .map(m -> m.text()).toList()).contains("**done** with `x`");
        Ui.settledScreenshot(shell, "chat-markdown");

        // a message that is one code block: a monospace box that scrolls (long lines sideways, many lines down)
        StringBuilder code = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            code.append(i == 1 ? "" : "\n").append("step(").append(i).append(");")
                    .append(i == 3 ? " // " + "a long comment ".repeat(20) : "");
        }
        ann.send(conversation, "```java\n" + code + "\n```").get(30, TimeUnit.SECONDS);
        Ui.until(display, "the code block's box", () -> codeBox() != null && codeBox().isVisible());
        org.eclipse.swt.custom.StyledText box = codeBox();
        assertThat(box.getText()).isEqualTo(code.toString());
        assertThat(box.getFont().getFontData()[0].getName()).as("monospace: the text font")
                .isEqualTo(org.eclipse.jface.resource.JFaceResources.getTextFont().getFontData()[0].getName());
        assertThat(box.getHorizontalBar().isVisible()).as("a long line scrolls sideways").isTrue();
        assertThat(box.getVerticalBar().isVisible()).as("30 lines scroll down").isTrue();
        assertThat(box.getSize().y).as("at most 15 lines high").isLessThan(box.getLineHeight() * 20);
        Ui.settledScreenshot(shell, "chat-code-block");
    }

    /** A left click at (x, y) of the history, as the mouse gives it (as FilesAndMediaTest clicks). */
    private static void click(HistoryView history, int x, int y) {
        for (int type : new int[] {SWT.MouseDown, SWT.MouseUp}) {
            org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
            e.button = 1;
            e.x = x;
            e.y = y;
            history.canvas().notifyListeners(type, e);
        }
    }

    /** Keys into the entry as the widget handles them: its key listeners first, then the character if not vetoed. */
    private static void typeIntoEntry(Text input, String keys) {
        for (char c : keys.toCharArray()) {
            org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
            e.character = c;
            e.keyCode = c == '\r' ? SWT.CR : c;
            e.doit = true;
            input.notifyListeners(SWT.KeyDown, e);
            if (e.doit && c != '\r') {
                input.insert(String.valueOf(c));
            }
            org.eclipse.swt.widgets.Event up = new org.eclipse.swt.widgets.Event();
            up.character = c;
            up.keyCode = e.keyCode;
            input.notifyListeners(SWT.KeyUp, up);
        }
    }

    /** The texts of a formatted message's spans of one style, in order. */
    private static List<String> texts(Markdown.Formatted f, Markdown.Style style) {
        return f.of(style).stream().map(f::textOf).toList();
    }

    /** The scrollable box of a code block in the history, or null. */
    private org.eclipse.swt.custom.StyledText codeBox() {
        return Ui.find(shell, org.eclipse.swt.custom.StyledText.class).stream().filter(t -> !t.isDisposed()
                && t.getData("org.parley.chat.codeBlock") != null).findFirst().orElse(null);
    }

    /**
     * Item 5: "@" in bob's entry opens the group's members by display name, typing narrows them, Enter puts the
     * mention token (user id inside) into the text; the message reaches cat with the mention stored by user id; a
     * mention is shown with the member's current display name (not the one written in the token), highlighted; a
     * message that mentions bob is highlighted as his.
     */
    @Test
    void atCompletesTheMembersAndAMentionIsStoredByUserIdAndShownWithTheCurrentName() throws Exception {
        ParleyClient cat = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        try {
            cat.register("cat", "password-cat", "Cat Moss").get(30, TimeUnit.SECONDS);
            // ann and cat are bob's contacts: bob's client knows their display names
            bob.requestContact("cat").get(30, TimeUnit.SECONDS);
            cat.answerContact("bob", true).get(30, TimeUnit.SECONDS);
            bob.requestContact("ann").get(30, TimeUnit.SECONDS);
            ann.answerContact("bob", true).get(30, TimeUnit.SECONDS);
            bob.listContacts().get(30, TimeUnit.SECONDS);
            long group = ann.createGroup("Release team", List.of("bob", "cat")).get(30, TimeUnit.SECONDS).id();
            List<String> catGot = new CopyOnWriteArrayList<>();
            cat.addListener(new org.parley.client.core.ClientListener() {
                @Override
                public void message(org.parley.protocol.message.Chat.ChatMessage m) {
                    catGot.add(m.text());
                }
            });

            HistoryView history = openChat(group).history();
            shell.layout(true, true);
            shell.open();
            shell.forceActive();
            Ui.until(display, "the group's history", () -> history.lastSeq() >= 1);
            Text input = entryField();
            input.setFocus();
            Ui.until(display, "the entry with the keyboard", () -> input.isFocusControl()
                    && display.getActiveShell() == shell);
            Ui.type(display, "thanks ");
            Ui.key(display, '@', SWT.SHIFT);
            Ui.until(display, "the members' completion", () -> completion().size() == 2);
            assertThat(completion()).as("the other members, by display name, not bob himself")
                    .containsExactly("Ann Lee  (ann)", "Cat Moss  (cat)");
            Shell activeWithCompletion = display.getActiveShell();
            // Under Xvfb without a window manager, key events posted through the X server while the completion's
            // popup shows do not reach the entry (the popup window is mapped on top); the entry gets them as the
            // widget would: the key event, then the character when nobody vetoed it.
            typeIntoEntry(input, "ca");
            try {
                Ui.until(display, "the completion narrowed to cat", 15, () -> completion().equals(List.of(
                        "Cat Moss  (cat)")));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": shown " + completion() + ", the entry \""
                        + input.getText() + "\" (caret " + input.getCaretPosition() + "), focus "
                        + display.getFocusControl() + ", active shell with the completion open "
                        + activeWithCompletion + (activeWithCompletion == shell ? " (the chat's)" : "")
                        + ", now " + display.getActiveShell(), e);
            }
            Ui.settledScreenshot(shell, "mention-completion");
            typeIntoEntry(input, "\r");
            Ui.until(display, "the mention in the entry", () -> input.getText().equals(
                    "thanks @[Cat Moss](parley:user/cat) "));
            typeIntoEntry(input, "for the fix");
            Ui.until(display, "typed", () -> input.getText().endsWith("for the fix"));
            typeIntoEntry(input, "\r");
            Ui.until(display, "the message to reach cat", () -> catGot.stream().anyMatch(t -> t.startsWith("thanks")));
            String got = catGot.stream().filter(t -> t.startsWith("thanks")).findFirst().orElseThrow();
            assertThat(got).isEqualTo("thanks @[Cat Moss](parley:user/cat) for the fix");
            assertThat(Markdown.mentions(got)).containsExactly("cat");

            // ann's mentions: cat's by an old display name (written before a rename), and bob's
            long old = ann.send(group, "ask @[Catherine](parley:user/cat) first").get(30, TimeUnit.SECONDS).seq();
            long mine = ann.send(group, "@[Bob Roy](parley:user/bob) can you deploy?").get(30, TimeUnit.SECONDS)
                    .seq();
            Ui.until(display, "ann's mentions shown", () -> history.formatted(old) != null
                    && history.formatted(mine) != null);
            Markdown.Formatted f = history.formatted(old);
            assertThat(f.text()).isEqualTo("ask @Cat Moss first");
            assertThat(texts(f, Markdown.Style.MENTION)).containsExactly("@Cat Moss");
            assertThat(f.of(Markdown.Style.MENTION).stream().map(Markdown.Span::target).toList()).containsExactly("cat");
            assertThat(history.highlightedAsMention(old)).as("cat's mention is not bob's").isFalse();
            assertThat(history.formatted(mine).text()).isEqualTo("@Bob Roy can you deploy?");
            assertThat(history.highlightedAsMention(mine)).as("a message that mentions bob stands out").isTrue();
            assertThat(history.copyText(old)).as("Copy gives the token").isEqualTo(
                    "ask @[Catherine](parley:user/cat) first");
            Ui.settledScreenshot(shell, "chat-mentions");
        } finally {
            cat.close();
        }
    }

    /** The member completion's proposals as shown (its popup's table), or an empty list when it is closed. */
    private List<String> completion() {
        for (Shell s : display.getShells()) {
            if (s != shell && !s.isDisposed() && s.isVisible()) {
                for (org.eclipse.swt.widgets.Table t : Ui.find(s, org.eclipse.swt.widgets.Table.class)) {
                    return java.util.Arrays.stream(t.getItems()).map(i -> i.getText()).toList();
                }
            }
        }
        return List.of();
    }
}
