package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.chat.ui.internal.Markdown;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * A link to a message of another chat, through the whole application: ann (a client-core client) writes 450
 * messages in a group with bob and sends him, in their 1:1 chat, the link to the group's 200th; a click on it in bob's
 * 1:1 chat opens the group's chat at that message, selected, with its neighbours and without the rest of the
 * history in between.
 */
class MessageLinksTest {

    private static final int MESSAGES = 450;
    private static final int TARGET_NOTE = 150;

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser ann;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = OtherUser.register(server.port, "ann", "Ann Lee");
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        ann.close();
        server.close();
    }

    /** The open chat of a conversation, or null. */
    private static ChatPart chat(Display display, long conversation) {
        return windowContext(display).get(EPartService.class).getParts().stream()
                .filter(p -> p.getObject() instanceof ChatPart && p.isToBeRendered()
                        && String.valueOf(conversation).equals(p.getPersistedState().get(ParleyUi.CONVERSATION_ID)))
                .findFirst().map(p -> (ChatPart) p.getObject()).orElse(null);
    }

    private static Rectangle linkIn(HistoryView history, long seq) {
        Markdown.Formatted f = history.formatted(seq);
        if (f == null || f.of(Markdown.Style.LINK).isEmpty()) {
            return null;
        }
        return history.spanBounds(seq, f.of(Markdown.Style.LINK).get(0));
    }

    @Test
    void aLinkToAMessageOfAnotherChatOpensThatChatAtTheMessage() throws Exception {
        Display display = Display.getDefault();
        ParleyClient annClient = ann.client();
        Conversations.ConversationInfo[] group = new Conversations.ConversationInfo[1];
        Conversations.ConversationInfo[] direct = new Conversations.ConversationInfo[1];
        long[] target = new long[1];
        long[] linkSeq = new long[1];
        AtomicBoolean written = new AtomicBoolean();
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> Thread.ofVirtual()
                                .start(() -> {
                                    group[0] = annClient.createGroup("Team", List.of("bob")).join();
                                    CompletableFuture<org.parley.protocol.message.Chat.Sent> last = null;
                                    for (int i = 1; i <= MESSAGES; i++) {
                                        var sent = annClient.send(group[0].id(), "team note " + i);
                                        if (i == TARGET_NOTE) {
                                            target[0] = sent.join().seq();
                                        }
                                        last = sent;
                                    }
                                    last.join();
                                    direct[0] = annClient.openDirect("bob").join();
                                    linkSeq[0] = annClient.send(direct[0].id(), "the plan is here: parley:"
                                            + "conversation/" + group[0].id() + "/message/" + target[0]).join().seq();
                                    written.set(true);
                                }))
                .step("ann's messages", written::get, () -> {
                    IEclipseContext w = windowContext(display);
                    assertTrue(ChatOpener.open(w.get(EPartService.class), w.get(EModelService.class),
                            w.get(MApplication.class), direct[0]), "bob's 1:1 chat opens");
                })
                .step("the link in bob's 1:1 chat", () -> chat(display, direct[0].id()) != null
                        && linkIn(chat(display, direct[0].id()).history(), linkSeq[0]) != null, () -> {
                            HistoryView history = chat(display, direct[0].id()).history();
                            Rectangle at = linkIn(history, linkSeq[0]);
                            for (int type : new int[] {SWT.MouseDown, SWT.MouseUp}) {
                                Event e = new Event();
                                e.button = 1;
                                e.x = at.x + at.width / 2;
                                e.y = at.y + at.height / 2;
                                history.canvas().notifyListeners(type, e);
                            }
                        })
                .step("the group's chat at the message", () -> chat(display, group[0].id()) != null
                        && chat(display, group[0].id()).history().selection().length == 2
                        && chat(display, group[0].id()).history().selection()[0] == target[0]
                        && chat(display, group[0].id()).history().visibleSeqs().contains(target[0]), () -> {
                            HistoryView history = chat(display, group[0].id()).history();
                            assertTrue(history.isLoaded(target[0] - 1) && history.isLoaded(target[0] + 1),
                                    "its neighbours are loaded");
                            // two pages on (a page's neighbours may be fetched ahead), before the newest page
                            assertFalse(history.isLoaded(target[0] + 170), "the rest of the history is not");
                            assertEquals(group[0].id(), Long.parseLong(windowContext(display).get(EPartService.class)
                                    .getActivePart().getPersistedState().get(ParleyUi.CONVERSATION_ID)),
                                    "the group's chat is in front");
                        })
                .settle()
                .step("the picture", () -> true, () -> {
                    try {
                        Ui.screenshot(Workbench.workbenchShell(display).orElseThrow(), "message-link-opened");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        script.onFailure(() -> Workbench.closeWorkbench(display));
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }
}
