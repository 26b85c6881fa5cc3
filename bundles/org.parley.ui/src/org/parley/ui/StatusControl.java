package org.parley.ui;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;

/**
 * The status line: who is signed in, and whether Parley is connected, reconnecting or offline; "Signed out"
 * between a sign-out and the next sign-in (it follows the client in the application's context).
 */
public class StatusControl {

    private ParleyClient client;
    private Label label;
    private ClientListener listener;

    @Inject
    void client(@Optional ParleyClient signedIn) {
        if (signedIn == client) {
            return;
        }
        stopListening();
        client = signedIn;
        if (label != null) {
            listen();
        }
    }

    @PostConstruct
    void create(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        org.eclipse.jface.layout.GridLayoutFactory.fillDefaults().margins(4, 0).applyTo(c);
        label = new Label(c, SWT.NONE);
        org.eclipse.jface.layout.GridDataFactory.fillDefaults().grab(true, true).align(SWT.FILL, SWT.CENTER)
                .applyTo(label);
        listen();
        // The window is laid out before its menu bar exists; without a window manager (or before its first resize)
        // this line would sit below the visible area. Lay the window out again once it is up.
        parent.getDisplay().asyncExec(() -> {
            if (!parent.isDisposed()) {
                parent.getShell().layout(true, true);
            }
        });
    }

    private void listen() {
        ParleyClient c = client;
        if (c == null) {
            setText("Signed out");
            return;
        }
        show(c, c.state());
        listener = ParleyUi.onDisplay(c, label, new ClientListener() {
            @Override
            public void stateChanged(ConnectionState state) {
                if (client == c) {
                    show(c, state);
                }
            }

            @Override
            public void problem(ParleyClientException error) {
                if (client == c) {
                    setText(error.getMessage());
                }
            }
        });
    }

    private void stopListening() {
        if (client != null && listener != null) {
            client.removeListener(listener);
        }
        listener = null;
    }

    private void show(ParleyClient c, ConnectionState state) {
        setText(switch (state) {
            case ONLINE -> "● Connected as " + c.user();
            case CONNECTING -> "Connecting…";
            case RECONNECTING -> "◌ Connection lost: reconnecting…";
            case OFFLINE -> "○ Offline";
        });
    }

    private void setText(String text) {
        if (label == null || label.isDisposed()) {
            return;
        }
        label.setText(text);
        label.requestLayout();
    }

    @PreDestroy
    void dispose() {
        stopListening();
    }
}
