package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
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
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Reactions.Reaction;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;

/**
 * Reactions in two chat windows side by side (ann's on the left, bob's on the right), two clients on one real
 * server: bob reacts through "React…", ann sees it live and adds hers by clicking the chip, the tooltip names who
 * reacted, the picker finds an emoji by name, and ann's client, offline while bob changes his reactions, shows them
 * once it is back.
 */
class ReactionsTest {

    private static final String THUMBS = "\uD83D\uDC4D";
    private static final String PARTY = "\uD83C\uDF89";
    private static final String ROCKET = "\uD83D\uDE80";

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
        // ann's client waits a little before reconnecting, so that bob's changes happen while she is offline.
        ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext().backoff(2000, 2000));
        bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ann.register("ann", "password-ann", "Ann Lee").get(30, TimeUnit.SECONDS);
        bob.register("bob", "password-bob", "Bob Roy").get(30, TimeUnit.SECONDS);
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("Parley reactions test");
        shell.setLayout(new FillLayout());
        shell.setSize(1000, 420);
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

    private HistoryView openChat(long conversation, ParleyClient client) {
        IEclipseContext context = EclipseContextFactory.create("chat test");
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, client);
        context.set(MPart.class, part);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        return ContextInjectionFactory.make(ChatPart.class, context).history();
    }

    private static List<String> emoji(HistoryView h, long seq) {
        return h.reactions(seq).stream().map(r -> r.emoji() + " " + String.join(",", r.users())).toList();
    }

    /** Chooses "React…" in the message's context menu, as the mouse would; returns the menu it opens. */
    private Menu react(HistoryView history, long seq) {
        Rectangle body = history.bodyBounds(seq);
        Point at = history.canvas().toDisplay(body.x + 4, body.y + 4);
        Event detect = new Event();
        detect.detail = SWT.MENU_MOUSE;
        detect.x = at.x;
        detect.y = at.y;
        history.canvas().notifyListeners(SWT.MenuDetect, detect);
        Menu menu = history.canvas().getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        MenuItem item = Arrays.stream(menu.getItems()).filter(i -> i.getText().equals("&React…")).findFirst()
                .orElseThrow();
        menu.notifyListeners(SWT.Hide, new Event());
        item.notifyListeners(SWT.Selection, new Event());
        Menu reactions = (Menu) shell.getData("org.parley.chat.reactMenu");
        assertThat(reactions).isNotNull();
        return reactions;
    }

    private static void choose(Menu menu, String text) {
        MenuItem item = Arrays.stream(menu.getItems()).filter(i -> i.getText().equals(text)).findFirst().orElseThrow();
        menu.setVisible(false);
        item.notifyListeners(SWT.Selection, new Event());
    }

    /** Where the chip of {@code emoji} is, once the history shows it. */
    private Rectangle chip(HistoryView h, long seq, String emoji) {
        Ui.until(display, "the " + emoji + " chip shown", () -> h.chipBounds(seq, emoji) != null);
        return h.chipBounds(seq, emoji);
    }

    private static void mouse(HistoryView h, int type, Rectangle chip) {
        Event e = new Event();
        e.button = 1;
        e.x = chip.x + chip.width / 2;
        e.y = chip.y + chip.height / 2;
        h.canvas().notifyListeners(type, e);
    }

    @Test
    void aReactionIsSeenLiveTogglesWithAClickNamesWhoAndIsCaughtUpAfterAReconnect() throws Exception {
        // Contacts, so that each client knows the other's display name (the tooltip shows it).
        bob.requestContact("ann").get(30, TimeUnit.SECONDS);
        ann.answerContact("bob", true).get(30, TimeUnit.SECONDS);
        Ui.until(display, "bob's display name known to ann", () -> "Bob Roy".equals(ann.names().of("bob")));
        long conversation = ann.openDirect("bob").get(30, TimeUnit.SECONDS).id();
        long seq = ann.send(conversation, "The release notes are ready. Ship it?").get(30, TimeUnit.SECONDS).seq();
        HistoryView annView = openChat(conversation, ann);
        HistoryView bobView = openChat(conversation, bob);
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "both histories", () -> annView.visibleText().contains("Ship it?")
                && bobView.visibleText().contains("Ship it?"));

        // bob: React… → 👍 (the usual set, none ticked yet)
        Menu menu = react(bobView, seq);
        assertThat(Arrays.stream(menu.getItems()).map(MenuItem::getText).toList()).startsWith(THUMBS,
                "\u2764\uFE0F", "\uD83D\uDE02", PARTY, "\uD83D\uDE2E", "\uD83D\uDE22").contains("More…");
        assertThat(Arrays.stream(menu.getItems()).filter(MenuItem::getSelection)).isEmpty();
        choose(menu, THUMBS);
        Ui.until(display, "ann sees bob's reaction live", () -> emoji(annView, seq).equals(List.of(THUMBS + " bob")));
        Ui.until(display, "bob sees his own", () -> emoji(bobView, seq).equals(List.of(THUMBS + " bob")));

        // ann: the chip's tooltip names bob by his display name; a click adds hers.
        mouse(annView, SWT.MouseMove, chip(annView, seq, THUMBS));
        assertThat(annView.canvas().getToolTipText()).isEqualTo("Bob Roy reacted with " + THUMBS);
        mouse(annView, SWT.MouseDown, chip(annView, seq, THUMBS));
        Ui.until(display, "bob sees ann's", () -> emoji(bobView, seq).equals(List.of(THUMBS + " bob,ann")));
        Ui.until(display, "ann sees hers", () -> emoji(annView, seq).equals(List.of(THUMBS + " bob,ann")));
        mouse(annView, SWT.MouseMove, new Rectangle(0, 0, 1, 1));
        mouse(annView, SWT.MouseMove, chip(annView, seq, THUMBS));
        assertThat(annView.canvas().getToolTipText()).isEqualTo("Bob Roy and You reacted with " + THUMBS);
        // bob's menu now ticks 👍; choosing 🎉 adds a second chip
        menu = react(bobView, seq);
        assertThat(Arrays.stream(menu.getItems()).filter(MenuItem::getSelection).map(MenuItem::getText))
                .containsExactly(THUMBS);
        choose(menu, PARTY);
        Ui.until(display, "two chips for ann", () -> emoji(annView, seq).size() == 2);

        // bob: React… → More… → the picker, filtered by name
        menu = react(bobView, seq);
        choose(menu, "More…");
        Shell picker = Arrays.stream(display.getShells()).filter(s -> s.getData("org.parley.chat.emojiPicker") != null)
                .findFirst().orElseThrow();
        Ui.settledScreenshot(picker, "reaction-picker");
        Text filter = Ui.find(picker, Text.class).get(0);
        filter.setText("rocket");
        List<Button> shown = Ui.find(picker, Button.class).stream().filter(Button::getVisible).toList();
        assertThat(shown).extracting(Button::getText).containsExactly(ROCKET);
        shown.get(0).notifyListeners(SWT.Selection, new Event());
        assertThat(picker.isDisposed()).isTrue();
        Ui.until(display, "ann sees the rocket", () -> emoji(annView, seq).contains(ROCKET + " bob"));
        Ui.settledScreenshot(shell, "reactions");

        // ann offline: bob takes back 👍 and 🎉 meanwhile; ann's client catches up when it is back.
        List<ConnectionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        ann.addListener(new org.parley.client.core.ClientListener() {
            @Override
            public void stateChanged(ConnectionState state) {
                states.add(state);
            }
        });
        ann.dropConnection();
        Ui.until(display, "ann offline", () -> states.contains(ConnectionState.RECONNECTING));
        bob.removeReaction(conversation, seq, THUMBS).get(30, TimeUnit.SECONDS);
        bob.removeReaction(conversation, seq, PARTY).get(30, TimeUnit.SECONDS);
        Ui.until(display, "ann back online", () -> states.contains(ConnectionState.ONLINE));
        Ui.until(display, "ann's view caught up", () -> emoji(annView, seq).equals(List.of(THUMBS + " ann",
                ROCKET + " bob")));
        assertThat(annView.reactions(seq)).containsExactly(new Reaction(THUMBS, List.of("ann")),
                new Reaction(ROCKET, List.of("bob")));
        Ui.settledScreenshot(shell, "reactions-after-reconnect");
    }
}
