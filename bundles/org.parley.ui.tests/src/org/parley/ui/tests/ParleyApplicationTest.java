package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Workbench;

/**
 * The product's application ({@code org.parley.ui.application}, issue 17): the sign-in window is opened before the
 * E4 application starts (not from inside it, as when the workbench's life-cycle manager opened it), then the
 * workbench opens signed in as the user who signed in; Cancel ends the application without any workbench window.
 */
class ParleyApplicationTest {

    private static final String E4_APPLICATION = "org.eclipse.e4.ui.internal.workbench.swt.E4Application";

    @TempDir
    Path temp;

    @Test
    void signInWindowFirstThenTheWorkbenchSignedIn() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"))) {
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            List<String> atSignIn = new CopyOnWriteArrayList<>();
            Script script = new Script(display)
                    .step("the sign-in window", () -> shellWithButton(display, "Sign in").isPresent(), () -> {
                        // What runs the sign-in window's event loop: the application, not E4 (nor its life cycle)
                        Arrays.stream(Thread.currentThread().getStackTrace()).map(StackTraceElement::getClassName)
                                .forEach(atSignIn::add);
                        Workbench.signUp(display, server.port, "alice", "Alice Archer");
                    })
                    .step("the workbench window, signed in", () -> workbenchShell(display).map(Shell::isVisible)
                            .orElse(false) && shellWithButton(display, "Sign in").isEmpty(), () -> assertEquals(
                                    "Parley — alice@127.0.0.1:" + server.port, workbenchShell(display)
                                            .orElseThrow().getText()))
                    .step("close", () -> true, () -> closeWorkbench(display));
            script.start();
            Object exit = Workbench.parleyApplication().start(new Workbench.TestApplicationContext());

            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertThat(atSignIn).contains("org.parley.ui.internal.ParleyApplication")
                    .doesNotContain(E4_APPLICATION, "org.parley.ui.LifeCycle");
        }
    }

    @Test
    void cancelEndsTheApplicationWithoutAWorkbenchWindow() throws Exception {
        Workbench.useHome(temp.resolve("home"));
        Display display = Display.getDefault();
        List<String> windows = new CopyOnWriteArrayList<>();
        Listener shown = e -> {
            if (e.widget instanceof Shell s && s.getData("modelElement") instanceof MWindow) {
                windows.add(s.getText());
            }
        };
        display.addFilter(SWT.Show, shown);
        Script script = new Script(display)
                .step("the sign-in window", () -> shellWithButton(display, "Cancel").isPresent()
                        && shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.button(shellWithButton(display, "Sign in").orElseThrow(), "Cancel")
                                .notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
        script.start();
        Object exit = Workbench.parleyApplication().start(new Workbench.TestApplicationContext());

        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
        assertThat(windows).as("workbench windows shown").isEmpty();
        assertThat(display.isDisposed()).as("the application's display, disposed at its end").isTrue();
    }
}
