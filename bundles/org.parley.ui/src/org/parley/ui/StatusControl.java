package org.parley.ui;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;

/** The status line: who is signed in, and whether Parley is connected, reconnecting or offline. */
public class StatusControl {

    @Inject
    ParleyClient client;

    private Label label;
    private ClientListener listener;

    @PostConstruct
    void create(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        org.eclipse.jface.layout.GridLayoutFactory.fillDefaults().margins(4, 0).applyTo(c);
        label = new Label(c, SWT.NONE);
        org.eclipse.jface.layout.GridDataFactory.fillDefaults().grab(true, true).align(SWT.FILL, SWT.CENTER)
                .applyTo(label);
        show(client.state());
        // The window is laid out before its menu bar exists; without a window manager (or before its first resize)
        // this line would sit below the visible area. Lay the window out again once it is up.
        parent.getDisplay().asyncExec(() -> {
            if (!parent.isDisposed()) {
                parent.getShell().layout(true, true);
            }
        });
        listener = ParleyUi.onDisplay(client, label, new ClientListener() {
            @Override
            public void stateChanged(ConnectionState state) {
                show(state);
            }

            @Override
            public void problem(ParleyClientException error) {
                if (!label.isDisposed()) {
                    label.setText(error.getMessage());
                    label.requestLayout();
                }
            }
        });
    }

    private void show(ConnectionState state) {
        if (label.isDisposed()) {
            return;
        }
        String text = switch (state) {
            case ONLINE -> "● Connected as " + client.user();
            case CONNECTING -> "Connecting…";
            case RECONNECTING -> "◌ Connection lost: reconnecting…";
            case OFFLINE -> "○ Offline";
        };
        label.setText(text);
        label.requestLayout();
    }

    @PreDestroy
    void dispose() {
        client.removeListener(listener);
    }
}
