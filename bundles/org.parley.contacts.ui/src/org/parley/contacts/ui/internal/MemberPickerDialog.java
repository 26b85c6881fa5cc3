package org.parley.contacts.ui.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;

/**
 * Picks people for a group (New group, with its name; Add members): the contacts at first, then whoever the
 * server finds as the user types (contacts first), several at once with check boxes; the chosen show as chips
 * above the list (a click on a chip takes it back). Down from the search goes to the list, Space ticks, Enter
 * finishes.
 */
final class MemberPickerDialog extends TitleAreaDialog {

    private final ParleyClient client;
    private final String groupTitle; // null: a new group, whose name is asked too
    private final Set<String> exclude;
    private final Map<String, Contacts.UserInfo> chosen = new LinkedHashMap<>();
    private final Map<String, Contacts.UserInfo> contacts = new LinkedHashMap<>();
    private Text name;
    private Text query;
    private Table results;
    private Composite chips;
    private int generation;
    private String groupName;

    /** {@code groupTitle} null for a new group; {@code exclude}: who cannot be picked (members, the user). */
    MemberPickerDialog(Shell parent, ParleyClient client, String groupTitle, Collection<String> exclude) {
        super(parent);
        this.client = client;
        this.groupTitle = groupTitle;
        this.exclude = Set.copyOf(exclude);
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    /** The user names chosen, in the order they were picked. */
    List<String> chosen() {
        return List.copyOf(chosen.keySet());
    }

    /** The new group's name (null when adding members). */
    String groupName() {
        return groupName;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(groupTitle == null ? Messages.Picker_newGroupShell : Messages.Picker_addShell);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle(groupTitle == null ? Messages.Picker_newGroupTitle : NLS.bind(Messages.Picker_addTitle,
                groupTitle));
        setMessage(groupTitle == null ? Messages.Picker_newGroupMessage : Messages.Picker_addMessage);
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().margins(10, 10).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        if (groupTitle == null) {
            name = new Text(c, SWT.BORDER | SWT.SINGLE);
            name.setMessage(Messages.Picker_name);
            name.setTextLimit(100);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(name);
            name.addListener(SWT.Modify, e -> validate());
        }
        chips = new Composite(c, SWT.NONE);
        RowLayout row = new RowLayout(SWT.HORIZONTAL);
        row.wrap = true;
        row.marginLeft = 0;
        row.marginTop = 0;
        chips.setLayout(row);
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(chips);
        query = new Text(c, SWT.SEARCH | SWT.ICON_SEARCH | SWT.BORDER);
        query.setMessage(Messages.Picker_search);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(query);
        results = new Table(c, SWT.BORDER | SWT.CHECK | SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        results.setData(ContactsPart.LIST, "picker");
        GridDataFactory.fillDefaults().grab(true, true).hint(360, 220).applyTo(results);
        results.addListener(SWT.Selection, e -> {
            if (e.detail == SWT.CHECK && e.item instanceof TableItem i) {
                toggle((Contacts.UserInfo) i.getData(), i.getChecked());
            }
        });
        results.addListener(SWT.DefaultSelection, e -> {
            if (e.item instanceof TableItem i && !i.getChecked()) {
                i.setChecked(true);
                toggle((Contacts.UserInfo) i.getData(), true);
            }
        });
        query.addListener(SWT.Modify, e -> {
            int mine = ++generation;
            query.getDisplay().timerExec(250, () -> search(mine));
        });
        query.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.ARROW_DOWN && results.getItemCount() > 0) {
                results.setFocus();
                results.setSelection(0);
                e.doit = false;
            }
        });
        client.listContacts().whenComplete((list, e) -> c.getDisplay().asyncExec(() -> {
            if (results.isDisposed() || list == null) {
                return;
            }
            list.contacts().forEach(u -> contacts.put(u.user(), u));
            if (query.getText().isBlank()) {
                show(new ArrayList<>(contacts.values()));
            }
        }));
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, groupTitle == null ? Messages.Picker_create
                : Messages.Picker_add, true).setEnabled(false);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        (name != null ? name : query).setFocus();
    }

    private void search(int mine) {
        if (mine != generation || query.isDisposed()) {
            return; // the user typed again: only the last search counts
        }
        String q = query.getText().strip();
        if (q.isEmpty()) {
            show(new ArrayList<>(contacts.values()));
            return;
        }
        client.searchUsers(q, 20).whenComplete((found, e) -> query.getDisplay().asyncExec(() -> {
            if (mine != generation || results.isDisposed()) {
                return;
            }
            if (e != null) {
                setErrorMessage(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                return;
            }
            setErrorMessage(null);
            String lower = q.toLowerCase();
            List<Contacts.UserInfo> shown = new ArrayList<>();
            contacts.values().stream().filter(u -> u.user().contains(lower) || u.displayName().toLowerCase()
                    .contains(lower)).forEach(shown::add);
            found.stream().filter(u -> !contacts.containsKey(u.user())).forEach(shown::add);
            show(shown);
            if (results.getItemCount() == 0) {
                setMessage(NLS.bind(Messages.Picker_nobody, q));
            } else {
                validate();
            }
        }));
    }

    private void show(List<Contacts.UserInfo> users) {
        results.removeAll();
        for (Contacts.UserInfo u : users) {
            if (exclude.contains(u.user())) {
                continue;
            }
            TableItem i = new TableItem(results, SWT.NONE);
            i.setText(u.displayName() + "  (" + u.user() + ")");
            i.setData(u);
            i.setChecked(chosen.containsKey(u.user()));
        }
    }

    private void toggle(Contacts.UserInfo u, boolean on) {
        if (on) {
            chosen.put(u.user(), u);
        } else {
            chosen.remove(u.user());
        }
        showChips();
        validate();
    }

    private void showChips() {
        for (Control k : chips.getChildren()) {
            k.dispose();
        }
        for (Contacts.UserInfo u : chosen.values()) {
            Button chip = new Button(chips, SWT.PUSH | SWT.FLAT);
            chip.setText(NLS.bind(Messages.Picker_chip, u.displayName()));
            chip.setToolTipText(NLS.bind(Messages.Picker_chipTip, u.displayName()));
            chip.setData(u);
            chip.addListener(SWT.Selection, e -> {
                for (TableItem i : results.getItems()) {
                    if (((Contacts.UserInfo) i.getData()).user().equals(u.user())) {
                        i.setChecked(false);
                    }
                }
                toggle(u, false);
            });
        }
        chips.getParent().layout(true, true);
    }

    private void validate() {
        String problem = null;
        if (name != null && name.getText().strip().isEmpty()) {
            problem = Messages.Picker_nameNeeded;
        } else if (chosen.isEmpty()) {
            problem = Messages.Picker_pickSomeone;
        }
        setMessage(problem != null ? problem : groupTitle == null ? Messages.Picker_newGroupMessage
                : Messages.Picker_addMessage);
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(problem == null);
        }
    }

    @Override
    protected void okPressed() {
        if (name != null) {
            groupName = name.getText().strip();
        }
        if (!chosen.isEmpty() && (name == null || !groupName.isEmpty())) {
            super.okPressed();
        }
    }
}
