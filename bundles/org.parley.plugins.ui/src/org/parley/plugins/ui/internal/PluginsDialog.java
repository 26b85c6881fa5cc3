package org.parley.plugins.ui.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.eclipse.equinox.p2.operations.ProvisioningJob;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.parley.plugins.ui.Installation;
import org.parley.plugins.ui.Installation.Feature;
import org.parley.plugins.ui.Installation.SiteException;

/**
 * The Plug-ins dialog: the Parley features installed and those an update site offers; Install, Update and
 * Uninstall run as Jobs (the status line shows their progress; this dialog shows what is going on and why
 * something failed) and end with the offer to restart.
 */
final class PluginsDialog extends TitleAreaDialog {

    /** Where the build's own update site is, when the start script knows (releng/scripts/client.sh). */
    static final String BUILD_SITE_PROPERTY = "parley.updateSite";
    /** Widget data keys, for tests that drive the dialog. */
    static final String ID = "org.parley.plugins.ui.id";

    private final IWorkbench workbench;
    private Installation installation;
    private String unavailable;
    private URI site;
    private List<IInstallableUnit> offered = List.of();
    private boolean changed;
    private boolean busy;

    private Combo siteField;
    private Table table;
    private Button show;
    private Button install;
    private Button update;
    private Button uninstall;
    private ProgressBar progress;
    private Label activity;
    private Text details;

    PluginsDialog(Shell parent, IWorkbench workbench) {
        super(parent);
        this.workbench = workbench;
        setShellStyle(getShellStyle() | SWT.RESIZE);
        try {
            installation = Installation.current();
            unavailable = installation.notWritableReason();
        } catch (ProvisionException e) {
            unavailable = e.getMessage();
        }
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Plug-ins");
    }

    @Override
    protected org.eclipse.swt.graphics.Point getInitialSize() {
        return new org.eclipse.swt.graphics.Point(900, 600);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Parley plug-ins");
        setMessage("Install, update and remove Parley features from an update site. Changes take effect when "
                + "Parley restarts.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(4).margins(10, 10).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);

        new Label(c, SWT.NONE).setText("Update &site:");
        siteField = new Combo(c, SWT.DROP_DOWN | SWT.BORDER);
        siteField.setData(ID, "site");
        siteField.setToolTipText("A URL (https://…), or a local update site directory or .zip file");
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(siteField);
        Button folder = new Button(c, SWT.PUSH);
        folder.setText("&Directory…");
        folder.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(getShell());
            d.setMessage("The update site's directory (it holds content.jar or content.xml)");
            String dir = d.open();
            if (dir != null) {
                siteField.setText(dir);
                showSite();
            }
        });
        Button archive = new Button(c, SWT.PUSH);
        archive.setText("&Archive…");
        archive.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            d.setFilterExtensions(new String[] {"*.zip", "*"});
            String zip = d.open();
            if (zip != null) {
                siteField.setText(zip);
                showSite();
            }
        });
        siteField.addListener(SWT.DefaultSelection, e -> showSite());
        siteField.addListener(SWT.Selection, e -> showSite());

        new Label(c, SWT.NONE);
        show = new Button(c, SWT.PUSH);
        show.setText("S&how what the site offers");
        show.addListener(SWT.Selection, e -> showSite());
        GridDataFactory.swtDefaults().span(3, 1).applyTo(show);

        table = new Table(c, SWT.MULTI | SWT.BORDER | SWT.FULL_SELECTION);
        table.setData(ID, "features");
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        column("Feature", 220);
        column("Installed", 170);
        column("On the site", 170);
        column("Status", 150);
        GridDataFactory.fillDefaults().grab(true, true).span(3, 1).hint(SWT.DEFAULT, 220).applyTo(table);
        table.addListener(SWT.Selection, e -> enableButtons());

        Composite buttons = new Composite(c, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(buttons);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
        install = action(buttons, "&Install", this::install);
        update = action(buttons, "&Update", this::update);
        uninstall = action(buttons, "Unin&stall", this::uninstall);

        activity = new Label(c, SWT.NONE);
        activity.setData(ID, "activity");
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(activity);
        progress = new ProgressBar(c, SWT.HORIZONTAL | SWT.INDETERMINATE);
        progress.setVisible(false);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(progress);

        details = new Text(c, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
        details.setData(ID, "details");
        GridDataFactory.fillDefaults().grab(true, false).span(4, 1).hint(SWT.DEFAULT, 90).applyTo(details);
        details.setVisible(false);
        ((org.eclipse.swt.layout.GridData) details.getLayoutData()).exclude = true;

        fillSites();
        refresh();
        if (unavailable != null) {
            setErrorMessage(unavailable);
            for (Control k : new Control[] {siteField, folder, archive, show, table}) {
                k.setEnabled(false);
            }
        }
        enableButtons();
        return area;
    }

    private void column(String text, int width) {
        TableColumn col = new TableColumn(table, SWT.LEFT);
        col.setText(text);
        col.setWidth(width);
    }

    private Button action(Composite parent, String text, Runnable run) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.addListener(SWT.Selection, e -> run.run());
        GridDataFactory.fillDefaults().hint(Math.max(110, b.computeSize(SWT.DEFAULT, SWT.DEFAULT).x), SWT.DEFAULT)
                .applyTo(b);
        return b;
    }

    private void fillSites() {
        Set<String> sites = new LinkedHashSet<>();
        String build = System.getProperty(BUILD_SITE_PROPERTY);
        if (build != null && !build.isBlank()) {
            sites.add(build);
        }
        if (installation != null) {
            installation.sites().stream().map(Installation::display).forEach(sites::add);
        }
        siteField.setItems(sites.toArray(String[]::new));
        if (!sites.isEmpty()) {
            siteField.setText(sites.iterator().next());
        }
    }

    /** Fills the table from the profile and the current site. */
    private void refresh() {
        table.removeAll();
        if (installation == null) {
            return;
        }
        for (Feature f : installation.features(offered)) {
            TableItem item = new TableItem(table, SWT.NONE);
            item.setData(f);
            item.setText(new String[] {f.name(), f.installedVersion(), f.availableVersion(), status(f)});
        }
        enableButtons();
    }

    private static String status(Feature f) {
        if (!f.isInstalled()) {
            return "available";
        }
        if (f.hasUpdate()) {
            // the product requires its own features at their exact versions: they change with the product
            return f.removable() ? "update available" : "built in (newer on the site)";
        }
        return f.removable() ? "installed" : "installed (built in)";
    }

    private List<Feature> selected() {
        List<Feature> out = new ArrayList<>();
        for (TableItem i : table.getSelection()) {
            out.add((Feature) i.getData());
        }
        return out;
    }

    private void enableButtons() {
        if (install == null || install.isDisposed()) {
            return;
        }
        List<Feature> sel = selected();
        boolean ok = installation != null && unavailable == null && !busy;
        install.setEnabled(ok && !sel.isEmpty() && sel.stream().allMatch(f -> !f.isInstalled()));
        update.setEnabled(ok && !sel.isEmpty() && sel.stream().allMatch(f -> f.hasUpdate() && f.removable()));
        uninstall.setEnabled(ok && !sel.isEmpty() && sel.stream().allMatch(f -> f.isInstalled() && f.removable()));
        show.setEnabled(ok);
        String builtIn = sel.stream().anyMatch(f -> f.isInstalled() && !f.removable())
                ? "Features the Parley product is made of change only with the product; only features installed "
                        + "later can be updated or removed here"
                : null;
        uninstall.setToolTipText(builtIn);
        update.setToolTipText(builtIn);
    }

    private void showSite() {
        if (busy || installation == null) {
            return;
        }
        URI location;
        try {
            location = Installation.location(siteField.getText());
        } catch (SiteException e) {
            failed(e.getMessage(), null);
            return;
        }
        run("Reading the update site " + Installation.display(location), monitor -> {
            try {
                List<IInstallableUnit> features = installation.load(location, monitor);
                return () -> {
                    site = location;
                    offered = features;
                    refresh();
                    succeeded(Installation.display(location) + " offers " + features.size() + " Parley feature"
                            + (features.size() == 1 ? "" : "s") + ".");
                    List<String> items = new ArrayList<>(List.of(siteField.getItems()));
                    if (!items.contains(siteField.getText())) {
                        siteField.add(siteField.getText());
                    }
                };
            } catch (SiteException e) {
                return () -> {
                    site = null;
                    offered = List.of();
                    refresh();
                    failed(e.getMessage(), null);
                };
            }
        });
    }

    private void install() {
        List<IInstallableUnit> units = selected().stream().map(Feature::available).toList();
        change("Installing " + names(selected()), installation.install(units, site), "installed");
    }

    private void update() {
        List<IInstallableUnit> units = selected().stream().map(Feature::installed).toList();
        change("Updating " + names(selected()), installation.update(units, site), "updated");
    }

    private void uninstall() {
        List<Feature> sel = selected();
        if (!MessageDialog.openConfirm(getShell(), "Uninstall plug-ins",
                "Uninstall " + names(sel) + "? Parley restarts without them.")) {
            return;
        }
        List<IInstallableUnit> units = sel.stream().map(Feature::installed).toList();
        change("Uninstalling " + names(sel), installation.uninstall(units), "uninstalled");
    }

    private static String names(List<Feature> features) {
        return String.join(", ", features.stream().map(Feature::name).toList());
    }

    /** Resolves the operation, then runs its provisioning job; on success offers to restart. */
    private void change(String what, ProfileChangeOperation op, String done) {
        run(what, monitor -> {
            SubMonitor sub = SubMonitor.convert(monitor, what, 100);
            IStatus resolved = op.resolveModal(sub.split(30));
            if (resolved.getSeverity() == IStatus.CANCEL) {
                return () -> failed(what + " was cancelled.", null);
            }
            if (resolved.getSeverity() == IStatus.ERROR || !op.hasResolved()) {
                String why = Installation.explain(op, resolved);
                return () -> failed(what + " is not possible: the features need something that is not "
                        + "installed and not on the site, or conflict with what is installed.", why);
            }
            ProvisioningJob job = op.getProvisioningJob(sub.split(1));
            IStatus result = job.runModal(sub.split(69));
            if (result.getSeverity() == IStatus.CANCEL) {
                return () -> failed(what + " was cancelled; nothing was changed.", null);
            }
            if (!result.isOK() && result.getSeverity() >= IStatus.ERROR) {
                return () -> failed(what + " failed: " + result.getMessage(), Installation.explain(op, result));
            }
            return () -> {
                changed = true;
                refresh();
                succeeded(capitalized(done) + ": " + what.substring(what.indexOf(' ') + 1)
                        + ". Restart Parley to use the change.");
                askRestart();
            };
        });
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private interface Work {
        Runnable run(IProgressMonitor monitor) throws Exception;
    }

    /** Runs work as a Job (shown in the status line), then its result on the display thread. */
    private void run(String name, Work work) {
        busy = true;
        enableButtons();
        setErrorMessage(null);
        showDetails(null);
        activity.setText(name + "…");
        progress.setVisible(true);
        Runnable[] after = new Runnable[1];
        Job job = Job.create(name, monitor -> {
            try {
                after[0] = work.run(monitor);
            } catch (Exception e) {
                after[0] = () -> failed(name + " failed: " + e.getMessage(), null);
            }
            return Status.OK_STATUS;
        });
        job.setUser(true);
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                Shell shell = getShell();
                if (shell == null || shell.isDisposed()) {
                    return;
                }
                shell.getDisplay().asyncExec(() -> {
                    if (progress.isDisposed()) {
                        return;
                    }
                    busy = false;
                    progress.setVisible(false);
                    if (after[0] != null) {
                        after[0].run();
                    }
                    enableButtons();
                });
            }
        });
        job.schedule();
    }

    private void succeeded(String message) {
        activity.setText(message);
        setErrorMessage(null);
        showDetails(null);
    }

    private void failed(String message, String why) {
        activity.setText("");
        setErrorMessage(message);
        showDetails(why);
        getShell().layout(true, true);
    }

    private void showDetails(String text) {
        boolean show = text != null && !text.isBlank();
        details.setText(show ? text : "");
        details.setVisible(show);
        ((org.eclipse.swt.layout.GridData) details.getLayoutData()).exclude = !show;
        details.getParent().layout(true, true);
    }

    private void askRestart() {
        if (MessageDialog.openQuestion(getShell(), "Restart Parley",
                "The plug-ins change takes effect when Parley restarts. Restart now?")) {
            close();
            workbench.restart();
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == IDialogConstants.CLOSE_ID) {
            if (busy) {
                setErrorMessage("Wait until the current work ends (or cancel it in the status line).");
                return;
            }
            if (changed && MessageDialog.openQuestion(getShell(), "Restart Parley",
                    "Plug-ins were changed; they take effect when Parley restarts. Restart now?")) {
                close();
                workbench.restart();
                return;
            }
            close();
            return;
        }
        super.buttonPressed(buttonId);
    }

    @Override
    public boolean close() {
        if (busy && getShell() != null && !getShell().isDisposed()) {
            // the job still uses this dialog's p2 agent (Escape or the window's close button)
            setErrorMessage("Wait until the current work ends (or cancel it in the status line).");
            return false;
        }
        boolean closed = super.close();
        if (closed && installation != null) {
            installation.close();
            installation = null;
        }
        return closed;
    }
}
