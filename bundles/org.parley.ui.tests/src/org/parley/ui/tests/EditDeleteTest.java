package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
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
import org.parley.client.core.ParleyClient;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Editing and deleting messages (issue 13, item 2) with two clients side by side, ann's chat and bob's, on a real
 * server: Up in bob's empty entry field edits his last message ("Editing message — Esc to cancel"; Esc gives the
 * field back), Enter saves and ann sees the new text marked "(edited)"; Edit in a message's menu; ann, the group's
 * admin, deletes bob's message after a question and both see "Message deleted"; Edit and Delete are offered only
 * where they apply.
 */
class EditDeleteTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private ParleyClient ann;
    private ParleyClient bob;
    private Display display;
    private Shell shell;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ann.register("ann", "password-ann", "Ann").get(30, TimeUnit.SECONDS);
        bob.register("bob", "password-bob", "Bob").get(30, TimeUnit.SECONDS);
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("Parley: ann (left) and bob (right)");
        shell.setLayout(new FillLayout(SWT.HORIZONTAL));
        shell.setSize(1200, 560);
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

    /** The chat part of {@code client}'s user, as the workbench would make it. */
    private ChatPart openChat(long conversation, ParleyClient client) {
        IEclipseContext context = EclipseContextFactory.create("chat of " + client.user());
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, client);
        context.set(MPart.class, part);
        Composite holder = new Composite(shell, SWT.NONE);
        holder.setLayout(new FillLayout());
        context.set(Composite.class, holder);
        return ContextInjectionFactory.make(ChatPart.class, context);
    }

    private static Text entryField(Composite root) {
        return Ui.find(root, Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst()
                .orElseThrow();
    }

    private static Label editBanner(Composite root) {
        return Ui.find(root, Label.class).stream().filter(l -> l.getData("org.parley.chat.editBanner") != null)
                .findFirst().orElseThrow();
    }

    private static void key(Text field, int keyCode, char character) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = character;
        field.notifyListeners(SWT.KeyDown, e);
    }

    @Test
    void editWithUpOrTheMenuSaveWithEnterCancelWithEscAndAnAdminDeletesAfterAskingBothSidesSeeIt()
            throws Exception {
        long group = ann.createGroup("Lunch", List.of("bob")).get(30, TimeUnit.SECONDS).id();
        long annSeq = ann.send(group, "Lunch at noon?").get(30, TimeUnit.SECONDS).seq();
        long yes = bob.send(group, "Yes, see you there").get(30, TimeUnit.SECONDS).seq();
        long typo = bob.send(group, "I'll bring the salda").get(30, TimeUnit.SECONDS).seq();
        ChatPart annChat = openChat(group, ann);
        ChatPart bobChat = openChat(group, bob);
        Composite annSide = annChat.history().control().getParent();
        Composite bobSide = bobChat.history().control().getParent();
        shell.layout(true, true);
        shell.open();
        HistoryView annHistory = annChat.history();
        HistoryView bobHistory = bobChat.history();
        Ui.until(display, "both histories", () -> annHistory.visibleText().contains("salda")
                && bobHistory.visibleText().contains("salda"));

        // What is offered where: ann (admin) may delete bob's message but not edit it; bob edits and deletes his
        // own, and neither on ann's.
        assertThat(menuOn(annHistory, typo)).contains("&Delete…").doesNotContain("&Edit");
        assertThat(menuOn(bobHistory, typo)).contains("&Edit", "&Delete…");
        assertThat(menuOn(bobHistory, annSeq)).doesNotContain("&Edit", "&Delete…");

        // Up in bob's empty entry field: his last message, to edit.
        Text bobEntry = entryField(bobSide);
        bobEntry.setFocus();
        key(bobEntry, SWT.ARROW_UP, '\0');
        assertEquals("I'll bring the salda", bobEntry.getText());
        Label banner = editBanner(bobSide);
        assertThat(banner.isVisible()).isTrue();
        assertEquals("Editing message — Esc to cancel", banner.getText());
        bobEntry.setText("I'll bring the salad");
        Ui.settledScreenshot(shell, "edit-message-editing");
        key(bobEntry, SWT.CR, '\r');
        assertThat(banner.isVisible()).as("editing ends with Enter").isFalse();
        assertEquals("", bobEntry.getText());
        Ui.until(display, "ann sees the edit", () -> annHistory.visibleText()
                .contains("bob: I'll bring the salad (edited)"));
        Ui.until(display, "bob sees his edit", () -> bobHistory.visibleText().contains("I'll bring the salad (edited)"));
        assertThat(annHistory.visibleText()).doesNotContain("salda");
        assertThat(annHistory.message(typo).editedAt()).isPositive();

        // Edit from the menu with a half-typed draft: Esc gives the draft back and changes nothing.
        bobEntry.setText("half typed");
        choose(bobHistory, yes, "&Edit");
        assertEquals("Yes, see you there", bobEntry.getText());
        assertThat(banner.isVisible()).isTrue();
        key(bobEntry, SWT.ESC, (char) 27);
        assertEquals("half typed", bobEntry.getText());
        assertThat(banner.isVisible()).isFalse();
        assertThat(bobChat.editing()).isNull();
        bobEntry.setText("");

        // ann, the group's admin, deletes bob's "Yes": asked first, then both see the tombstone.
        List<String> asked = new CopyOnWriteArrayList<>();
        answerTheQuestion("Delete", asked);
        choose(annHistory, yes, "&Delete…");
        assertThat(asked).containsExactly("Delete Message");
        Ui.until(display, "both see the tombstone", () -> annHistory.visibleText().contains("bob: Message deleted")
                && bobHistory.visibleText().contains("bob: Message deleted"));
        assertThat(bobHistory.visibleText()).doesNotContain("see you there");
        assertThat(menuOn(bobHistory, yes)).as("nothing to edit or delete on a tombstone")
                .doesNotContain("&Edit", "&Delete…");
        // The entries are not rows: three messages and the group's first line, nothing more.
        assertThat(annHistory.visibleText().lines().filter(l -> !l.isBlank() && !l.startsWith("──")).count())
                .isEqualTo(4);
        Ui.settledScreenshot(shell, "edit-delete-both-sides");
    }

    /**
     * bob edits the caption of his own file from its menu, as a text message ("Editing the caption — Esc to
     * cancel"); ann sees the new caption marked "(edited)"; a caption may be emptied; ann is offered no Edit on it.
     */
    @Test
    void theSenderEditsTheCaptionOfTheirFileFromItsMenu() throws Exception {
        long group = ann.createGroup("Lunch", List.of("bob")).get(30, TimeUnit.SECONDS).id();
        Path menuFile = java.nio.file.Files.writeString(temp.resolve("menu.txt"), "soup, salad\n");
        long file = new org.parley.filetransfer.core.FileTransfers(bob).upload(group, menuFile,
                org.parley.filetransfer.core.FileTransfers.UploadOptions.of("text/plain").caption("menu draft"),
                org.parley.filetransfer.core.FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS)
                .sent().seq();
        ChatPart annChat = openChat(group, ann);
        ChatPart bobChat = openChat(group, bob);
        Composite bobSide = bobChat.history().control().getParent();
        shell.layout(true, true);
        shell.open();
        HistoryView annHistory = annChat.history();
        HistoryView bobHistory = bobChat.history();
        Ui.until(display, "the file on both sides", () -> annHistory.visibleText().contains("[menu.txt]")
                && bobHistory.bodyBounds(file) != null);
        assertThat(menuOn(bobHistory, file)).contains("&Edit", "&Delete…");
        assertThat(menuOn(annHistory, file)).as("not ann's file").doesNotContain("&Edit");

        Text bobEntry = entryField(bobSide);
        bobEntry.setText("half typed");
        choose(bobHistory, file, "&Edit");
        assertEquals("menu draft", bobEntry.getText());
        Label banner = editBanner(bobSide);
        assertThat(banner.isVisible()).isTrue();
        assertEquals("Editing the caption — Esc to cancel", banner.getText());
        bobEntry.setText("the final menu");
        Ui.settledScreenshot(shell, "edit-caption-editing");
        key(bobEntry, SWT.CR, '\r');
        assertEquals("half typed", bobEntry.getText());
        Ui.until(display, "ann sees the new caption", () -> annHistory.visibleText()
                .contains("bob: the final menu\n[menu.txt] (edited)"));
        assertThat(annHistory.visibleText()).doesNotContain("menu draft");
        assertThat(annHistory.message(file).editedAt()).isPositive();
        Ui.settledScreenshot(shell, "edit-caption-both-sides");

        // a caption may be emptied (a text message may not)
        bobEntry.setText("");
        choose(bobHistory, file, "&Edit");
        bobEntry.setText("");
        key(bobEntry, SWT.CR, '\r');
        assertThat(bobChat.editing()).isNull();
        Ui.until(display, "ann sees the file without caption", () -> annHistory.visibleText()
                .contains("bob: [menu.txt] (edited)"));
    }

    /**
     * An edit or a deletion is no new message: bob's sidebar counts the messages he has not read, not the edits
     * and deletions among them, from the server's list, as messages arrive, when his read mark moves (from another
     * device) and when a change to the group is announced; his chat opens with "New messages" above the first
     * message after his mark, not above an edit.
     */
    @Test
    void editsAndDeletionsAreNotCountedAsUnreadInTheSidebar() throws Exception {
        long group = ann.createGroup("Lunch", List.of("bob")).get(30, TimeUnit.SECONDS).id();
        long one = ann.send(group, "one").get(30, TimeUnit.SECONDS).seq();
        ann.editMessage(group, one, "one!").get(30, TimeUnit.SECONDS);

        IEclipseContext context = EclipseContextFactory.create("bob's sidebar");
        context.set(ParleyClient.class, bob);
        Composite sidebarHolder = new Composite(shell, SWT.NONE);
        sidebarHolder.setLayout(new FillLayout());
        context.set(Composite.class, sidebarHolder);
        ContextInjectionFactory.make(org.parley.contacts.ui.internal.ContactsPart.class, context);
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "the group in bob's sidebar", () -> unread(group) >= 0);
        assertThat(unread(group)).as("'one', not its edit (the server's count)").isEqualTo(1);

        long two = ann.send(group, "two").get(30, TimeUnit.SECONDS).seq();
        long three = ann.send(group, "three").get(30, TimeUnit.SECONDS).seq();
        ann.deleteMessage(group, two).get(30, TimeUnit.SECONDS);
        ann.editMessage(group, three, "three!").get(30, TimeUnit.SECONDS);
        long four = ann.send(group, "four").get(30, TimeUnit.SECONDS).seq();
        Ui.until(display, "four unread", () -> unread(group) == 4);

        // bob reads up to "three" elsewhere: only "four" is left, not the deletion and the edit after his mark
        bob.markRead(group, three);
        Ui.until(display, "one left", () -> unread(group) == 1);

        // the group renamed: its line is a SYSTEM line, not unread either (the server's count after the rename is
        // still "four" alone, not the edits, the deletion or the rename)
        ann.rename(group, "Lunch on Friday").get(30, TimeUnit.SECONDS);
        Ui.until(display, "the rename announced", () -> row(group) != null
                && row(group).name().equals("Lunch on Friday"));
        ann.send(group, "five").get(30, TimeUnit.SECONDS);
        Ui.until(display, "'five' in the sidebar",
                () -> row(group) != null && row(group).preview().contains("five"));
        assertThat(unread(group)).as("'four' and 'five', not the rename's line").isEqualTo(2);
        Ui.settledScreenshot(shell, "edit-delete-unread");

        ChatPart bobChat = openChat(group, bob);
        shell.layout(true, true);
        HistoryView bobHistory = bobChat.history();
        Ui.until(display, "bob's history", () -> bobHistory.visibleText().contains("four"));
        assertThat(bobHistory.unreadDivider()).as("the line above 'four', the first message after the mark")
                .isEqualTo(four);
        Ui.settledScreenshot(shell, "edit-delete-unread-opened");
    }

    private org.parley.contacts.ui.internal.ConversationRow row(long conversation) {
        org.eclipse.swt.widgets.Table t = Workbench.sidebarList(shell, Workbench.CONVERSATIONS);
        if (t == null) {
            return null;
        }
        return Arrays.stream(t.getItems()).map(i -> (org.parley.contacts.ui.internal.ConversationRow) i.getData())
                .filter(r -> r.conversation().id() == conversation).findFirst().orElse(null);
    }

    /** bob's sidebar's count for the conversation; -1 while it is not listed. */
    private long unread(long conversation) {
        org.parley.contacts.ui.internal.ConversationRow r = row(conversation);
        return r == null ? -1 : r.unread();
    }

    /** Answers the next dialog that has a button {@code button} with it, once it opens; records its title. */
    private void answerTheQuestion(String button, List<String> asked) {
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            java.util.Optional<Shell> q = Workbench.shellWithButton(display, button);
            if (q.isPresent()) {
                asked.add(q.get().getText());
                Workbench.button(q.get(), button).notifyListeners(SWT.Selection, new Event());
            } else {
                display.timerExec(50, poll[0]);
            }
        };
        display.timerExec(50, poll[0]);
    }

    private List<String> menuOn(HistoryView history, long seq) {
        Menu menu = openMenuOn(history, seq);
        List<String> items = Arrays.stream(menu.getItems()).map(MenuItem::getText).toList();
        menu.notifyListeners(SWT.Hide, new Event());
        return items;
    }

    private void choose(HistoryView history, long seq, String label) {
        Menu menu = openMenuOn(history, seq);
        MenuItem item = Arrays.stream(menu.getItems()).filter(i -> i.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError(label + " not in the menu"));
        menu.notifyListeners(SWT.Hide, new Event());
        item.notifyListeners(SWT.Selection, new Event());
    }

    private Menu openMenuOn(HistoryView history, long seq) {
        Rectangle body = history.bodyBounds(seq);
        org.eclipse.swt.graphics.Point at = history.canvas().toDisplay(body.x + 4, body.y + 4);
        Event detect = new Event();
        detect.detail = SWT.MENU_MOUSE;
        detect.x = at.x;
        detect.y = at.y;
        history.canvas().notifyListeners(SWT.MenuDetect, detect);
        Menu menu = history.canvas().getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        return menu;
    }
}
