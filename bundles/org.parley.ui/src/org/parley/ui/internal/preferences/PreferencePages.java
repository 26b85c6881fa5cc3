package org.parley.ui.internal.preferences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.jface.preference.IPreferencePage;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Shell;

/**
 * Parley &gt; Preferences…: the Eclipse preference dialog with the pages the installed plug-ins contribute to
 * {@code org.parley.ui.preferencePages} (one per feature: the application's General and Connection, the chat's
 * Notifications, File transfer, Media, …), by name, a page with a category under that page. A plug-in that is
 * removed takes its page with it.
 */
public final class PreferencePages {

    /** The extension point. */
    public static final String POINT = "org.parley.ui.preferencePages";

    private PreferencePages() {
    }

    /** The pages' tree as the installed plug-ins contribute it. */
    public static PreferenceManager manager() {
        List<IConfigurationElement> pages = new ArrayList<>();
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(POINT)) {
            if ("page".equals(e.getName()) && e.getAttribute("id") != null && e.getAttribute("name") != null
                    && e.getAttribute("class") != null) {
                pages.add(e);
            }
        }
        pages.sort(Comparator.comparing((IConfigurationElement e) -> e.getAttribute("name"),
                String.CASE_INSENSITIVE_ORDER));
        Map<String, PreferenceNode> nodes = new LinkedHashMap<>();
        for (IConfigurationElement e : pages) {
            nodes.putIfAbsent(e.getAttribute("id"), new Node(e));
        }
        PreferenceManager manager = new PreferenceManager('/');
        for (IConfigurationElement e : pages) {
            PreferenceNode node = nodes.get(e.getAttribute("id"));
            PreferenceNode parent = e.getAttribute("category") == null ? null : nodes.get(e.getAttribute("category"));
            if (parent != null && parent != node) {
                parent.add(node);
            } else {
                manager.addToRoot(node);
            }
        }
        return manager;
    }

    /** Opens the dialog over {@code shell}; returns its return code. */
    public static int open(Shell shell) {
        PreferenceDialog dialog = new PreferenceDialog(shell, manager()) {
            @Override
            protected void configureShell(Shell newShell) {
                super.configureShell(newShell);
                newShell.setText(Messages.Dialog_title);
            }
        };
        dialog.setHelpAvailable(false);
        return dialog.open();
    }

    /** A page made when it is first shown, from its plug-in's class. */
    private static final class Node extends PreferenceNode {
        private final IConfigurationElement element;
        private final String name;

        Node(IConfigurationElement element) {
            super(element.getAttribute("id"));
            this.element = element;
            this.name = element.getAttribute("name");
        }

        @Override
        public String getLabelText() {
            return name;
        }

        @Override
        public void createPage() {
            IPreferencePage page;
            try {
                page = (IPreferencePage) element.createExecutableExtension("class");
            } catch (CoreException | ClassCastException e) {
                String plugin = element.getContributor().getName();
                ILog.of(PreferencePages.class).error(NLS.bind(Messages.Dialog_brokenPage,
                        new Object[] {name, plugin, e.getMessage()}), e);
                page = new Broken(NLS.bind(Messages.Dialog_brokenPage, new Object[] {name, plugin,
                        e.getMessage()}));
            }
            page.setTitle(name);
            setPage(page);
        }
    }

    /** What a page that cannot be made shows instead: why. */
    private static final class Broken extends org.eclipse.jface.preference.PreferencePage {
        private final String why;

        Broken(String why) {
            this.why = why;
            noDefaultAndApplyButton();
        }

        @Override
        protected org.eclipse.swt.widgets.Control createContents(org.eclipse.swt.widgets.Composite parent) {
            org.eclipse.swt.widgets.Label l = new org.eclipse.swt.widgets.Label(parent, org.eclipse.swt.SWT.WRAP);
            l.setText(why);
            return l;
        }
    }
}
