package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.contacts.ui.internal.ContactsPart;
import org.parley.protocol.message.Contacts;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;

/**
 * The Contacts view with decorations contributed through org.parley.contacts.ui.contactDecorations: the test
 * bundle's decorator marks ann as a VIP (overlay, suffix, tooltip) and later carl as on a call (it asks the view to
 * refresh); a decorator that throws is logged and left out, and the contacts show anyway.
 */
class ContactsPartTest {

    @TempDir
    Path temp;

    @Test
    void contributedDecorationsShowAndBrokenOnesAreLeftOut() throws Exception {
        List<IStatus> logged = new CopyOnWriteArrayList<>();
        ILogListener log = (status, plugin) -> logged.add(status);
        Platform.addLogListener(log);
        Shell shell = null;
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"))) {
            ParleyClient ann = client(server, "ann", "Ann Lee");
            ParleyClient bob = client(server, "bob", "Bob Roy");
            ParleyClient carl = client(server, "carl", "Carl Ek");
            try {
                ann.requestContact("bob").get(30, TimeUnit.SECONDS);
                carl.requestContact("bob").get(30, TimeUnit.SECONDS);
                bob.answerContact("ann", true).get(30, TimeUnit.SECONDS);
                bob.answerContact("carl", true).get(30, TimeUnit.SECONDS);

                Display display = Display.getDefault();
                shell = new Shell(display);
                shell.setText("Parley contacts test");
                shell.setLayout(new FillLayout());
                shell.setSize(420, 640);
                IEclipseContext context = EclipseContextFactory.create("contacts test");
                context.set(ParleyClient.class, bob);
                context.set(Composite.class, new Composite(shell, SWT.NONE));
                ContactsPart part = ContextInjectionFactory.make(ContactsPart.class, context);
                shell.layout(true, true);
                shell.open();

                Table contacts = org.parley.ui.testing.Workbench.sidebarList(shell,
                        org.parley.ui.testing.Workbench.CONTACTS);
                Ui.until(display, "both contacts", () -> contacts.getItemCount() == 2);
                TableItem annRow = row(contacts, "ann");
                TableItem carlRow = row(contacts, "carl");
                assertThat(annRow.getText()).isEqualTo("Ann Lee [VIP]  ann");
                assertThat(carlRow.getText()).isEqualTo("Carl Ek  carl");
                assertThat(pixel(annRow, 15, 0)).as("the overlay in the top right corner").isEqualTo(
                        VipDecorator.GOLD);
                assertThat(pixel(carlRow, 15, 0)).isNotEqualTo(VipDecorator.GOLD);
                assertThat(part.contactToolTip((Contacts.UserInfo) annRow.getData()))
                        .startsWith("Ann Lee (ann) is ").endsWith("\nVery important person");
                assertThat(logged).anyMatch(s -> s.getMessage().contains("org.parley.ui.tests.throwing")
                        && s.getMessage().contains("left out"));

                VipDecorator.onCall("carl"); // from the test thread, as a plug-in's own thread would
                Ui.until(display, "carl on a call", () -> row(contacts, "carl").getText().equals(
                        "Carl Ek [on a call]  carl"));
                Ui.settledScreenshot(shell, "contacts-decorations");
            } finally {
                ann.close();
                bob.close();
                carl.close();
            }
        } finally {
            Platform.removeLogListener(log);
            if (shell != null) {
                shell.dispose();
            }
        }
    }

    private static ParleyClient client(ServerProcess server, String user, String name) throws Exception {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        c.register(user, "password-" + user, name).get(30, TimeUnit.SECONDS);
        return c;
    }

    private static TableItem row(Table table, String user) {
        return Arrays.stream(table.getItems()).filter(i -> ((Contacts.UserInfo) i.getData()).user().equals(user))
                .findFirst().orElseThrow();
    }

    private static RGB pixel(TableItem item, int x, int y) {
        ImageData data = item.getImage().getImageData();
        return data.palette.getRGB(data.getPixel(x, y));
    }
}
