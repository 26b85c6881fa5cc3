package org.parley.ide.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.LoginDialog;
import org.parley.ui.Preferences;
import org.parley.ui.secure.SecureStore;

/**
 * The Parley session of this IDE, shared by every Parley view: signed out when the IDE starts (unless a kept
 * session signs in by itself when the first Parley view opens), signed in with Parley's login dialog. While signed
 * in, the {@link ParleyClient}, a {@link ChatOpener.Host} (chats open as views) and a snippet opener (editors) are
 * in the workbench's Eclipse context, which every view's context inherits: Parley's parts inject the client from there exactly as in the
 * Parley application. Display thread only.
 */
public final class ParleySession {

    private static final ParleySession INSTANCE = new ParleySession();
    /** Whether Sign Out asks first (tests turn it off). */
    public static volatile boolean confirmSignOut = true;

    private ParleyClient client;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, String> titles = new ConcurrentHashMap<>();
    private long lastChat;
    private boolean triedKeptSession;

    private ParleySession() {
    }

    public static ParleySession get() {
        return INSTANCE;
    }

    /** The signed-in client, or null. */
    public ParleyClient client() {
        return client;
    }

    /** Runs {@code listener} on the display thread after each sign-in and before each sign-out completes. */
    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** The workbench's (application's) context: the parent of every window's and view's context. */
    private static IEclipseContext context() {
        return PlatformUI.getWorkbench().getService(IEclipseContext.class);
    }

    /** Opens Parley's login dialog; true once signed in (at once when already signed in). */
    public boolean signIn(Shell shell) {
        if (client != null) {
            return true;
        }
        LoginDialog login = new LoginDialog(shell);
        if (login.open() != Window.OK || login.client() == null) {
            return false;
        }
        if (client != null) { // signed in meanwhile (a second dialog): keep the first session
            login.client().close();
            return true;
        }
        client = login.client();
        IEclipseContext context = context();
        context.set(ChatOpener.Host.class, this::openChat);
        context.set(org.parley.chat.ui.SnippetOpener.class, new EditorSnippetOpener());
        context.set(ParleyClient.class, client);
        listeners.forEach(Runnable::run);
        return true;
    }

    /**
     * The first Parley view of this IDE session signs in by itself when the user chose to stay signed in: the login
     * dialog resumes the kept session at once (and shows the form if that fails). Once per IDE session.
     */
    void signInIfKept(Shell shell) {
        if (triedKeptSession || client != null) {
            return;
        }
        triedKeptSession = true;
        IEclipsePreferences prefs = Preferences.node();
        String host = prefs.get("host", null);
        String user = prefs.get("user", null);
        int port = prefs.getInt("port", 0);
        if (host == null || user == null || port == 0 || !prefs.getBoolean("staySignedIn", true)
                || SecureStore.ofProfile().token(host, port, user).isEmpty()) {
            return;
        }
        shell.getDisplay().asyncExec(() -> {
            if (!shell.isDisposed() && client == null) {
                signIn(shell);
            }
        });
    }

    /**
     * Signs out: the views put their Parley parts away, the client leaves the context, and the server forgets the
     * session in a job (a slow server must not hold the IDE). The kept session is forgotten at once.
     */
    public void signOut(Shell shell, boolean ask) {
        ParleyClient c = client;
        if (c == null || ask && !MessageDialog.openConfirm(shell, "Sign out", "Sign out of Parley on this computer?")) {
            return;
        }
        IEclipsePreferences prefs = Preferences.node();
        SecureStore.ofProfile().forgetToken(prefs.get("host", ""), prefs.getInt("port", 0), c.user());
        client = null;
        listeners.forEach(Runnable::run); // parts go before the client leaves their context
        IEclipseContext context = context();
        context.remove(ParleyClient.class);
        context.remove(ChatOpener.Host.class);
        context.remove(org.parley.chat.ui.SnippetOpener.class);
        Job job = Job.create("Signing out of Parley", monitor -> {
            monitor.beginTask("Signing out of Parley", IProgressMonitor.UNKNOWN);
            try {
                c.logout().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // offline: the server forgets the session when it expires
            } finally {
                c.close();
                monitor.done();
            }
            return Status.OK_STATUS;
        });
        job.setUser(false);
        job.schedule();
    }

    /** The IDE is closing: the session stays resumable (the kept token), the connection closes. */
    void shutdown() {
        ParleyClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }

    /** Opens a conversation's chat as a Parley Chat view (one per conversation), or brings it forward. */
    boolean openChat(Conversations.ConversationInfo c) {
        titles.put(c.id(), c.kind() == Conversations.Kind.GROUP ? "# " + c.title() : c.title());
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
            window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        }
        IWorkbenchPage page = window == null ? null : window.getActivePage();
        if (page == null) {
            return false;
        }
        try {
            page.showView(ChatView.ID, String.valueOf(c.id()), IWorkbenchPage.VIEW_ACTIVATE);
            return true;
        } catch (PartInitException e) {
            ILog.of(ParleySession.class).error("cannot open the chat of conversation " + c.id(), e);
            return false;
        }
    }

    /** The title of a conversation as its chat view shows it, when known. */
    Optional<String> title(long conversationId) {
        return Optional.ofNullable(titles.get(conversationId));
    }

    void rememberTitle(long conversationId, String title) {
        titles.put(conversationId, title);
    }

    /** The conversation whose chat was last in front (0: none yet): where snippets go by default. */
    long lastChat() {
        return lastChat;
    }

    void chatInFront(long conversationId) {
        lastChat = conversationId;
    }

    static Display display() {
        return PlatformUI.getWorkbench().getDisplay();
    }
}
