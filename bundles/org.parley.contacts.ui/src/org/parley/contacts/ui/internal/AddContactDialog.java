package org.parley.contacts.ui.internal;

import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;

/**
 * Finds people by user name or display name as the user types (a search on the server, a moment after the last
 * key), and returns the one chosen.
 */
final class AddContactDialog extends TitleAreaDialog {

    private final ParleyClient client;
    private Text query;
    private TableViewer results;
    private Contacts.UserInfo chosen;
    private int generation;

    AddContactDialog(Shell parent, ParleyClient client) {
        super(parent);
        this.client = client;
    }

    Contacts.UserInfo chosen() {
        return chosen;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Add contact");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Add a contact");
        setMessage("Type part of a name, then pick the person to ask.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().margins(10, 10).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        query = new Text(c, SWT.SEARCH | SWT.ICON_SEARCH | SWT.BORDER);
        query.setMessage("Name");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(query);
        results = new TableViewer(c, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        results.setContentProvider(ArrayContentProvider.getInstance());
        results.setLabelProvider(new LabelProvider() {
            @Override
            public String getText(Object o) {
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                return u.displayName() + " (" + u.user() + ")";
            }
        });
        GridDataFactory.fillDefaults().grab(true, true).hint(360, 200).applyTo(results.getControl());
        query.addListener(SWT.Modify, e -> {
            int mine = ++generation;
            query.getDisplay().timerExec(250, () -> search(mine));
        });
        results.addSelectionChangedListener(e -> getButton(IDialogConstants.OK_ID).setEnabled(!e.getSelection()
                .isEmpty()));
        results.addDoubleClickListener(e -> okPressed()); // a double-click, or Enter in the list
        // From the name: Down goes into the results (the first one selected), Enter asks the one selected (the
        // first when none is), as in a search box's drop-down.
        query.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.ARROW_DOWN && results.getTable().getItemCount() > 0) {
                e.doit = false;
                if (results.getStructuredSelection().isEmpty()) {
                    results.setSelection(new StructuredSelection(results.getElementAt(0)), true);
                }
                results.getTable().setFocus();
            }
        });
        query.addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_RETURN && results.getTable().getItemCount() > 0) {
                e.doit = false;
                if (results.getStructuredSelection().isEmpty()) {
                    results.setSelection(new StructuredSelection(results.getElementAt(0)), true);
                }
                okPressed();
            }
        });
        return area;
    }

    private void search(int mine) {
        if (mine != generation || query.isDisposed()) {
            return; // the user typed again: only the last search counts
        }
        String q = query.getText().strip();
        if (q.isEmpty()) {
            results.setInput(List.of());
            return;
        }
        // People who are already contacts, or already asked, are left out: asking them again would be refused.
        client.searchUsers(q, 20).thenCombine(client.listContacts(), (found, own) -> {
            java.util.Set<String> known = new java.util.HashSet<>();
            own.contacts().forEach(u -> known.add(u.user()));
            own.outgoing().forEach(u -> known.add(u.user()));
            return found.stream().filter(u -> !known.contains(u.user())).toList();
        }).whenComplete((users, e) -> query.getDisplay().asyncExec(() -> {
            if (mine != generation || results.getControl().isDisposed()) {
                return;
            }
            if (e != null) {
                setErrorMessage(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                return;
            }
            setErrorMessage(null);
            results.setInput(users);
            setMessage(users.isEmpty() ? "Nobody matches “" + q + "”." : "Pick the person to ask.");
        }));
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Ask to be contacts", true).setEnabled(false);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    @Override
    protected void okPressed() {
        chosen = (Contacts.UserInfo) ((IStructuredSelection) results.getSelection()).getFirstElement();
        if (chosen != null) {
            super.okPressed();
        }
    }
}
