package org.parley.ui.internal;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.commands.MBindingTable;
import org.eclipse.e4.ui.model.application.commands.MKeyBinding;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledItem;
import org.eclipse.e4.ui.workbench.renderers.swt.HandledContributionItem;
import org.eclipse.jface.bindings.keys.KeySequence;
import org.eclipse.jface.bindings.keys.ParseException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;

/**
 * Menu items show their key binding ("Find in chat…  Ctrl+F"). E4 writes a handled menu item's shortcut from its
 * binding service when it makes the item, and in the first start of a runtime some items (Ctrl+F, Ctrl+N, Ctrl+Q)
 * came out without one although their keys work. So each time a menu of the window's menu bar opens, an item
 * that shows no shortcut gets the one its command is bound to in the application model's binding tables.
 */
public final class MenuShortcuts {

    private static final String INSTALLED = MenuShortcuts.class.getName();

    private MenuShortcuts() {
    }

    /** Once per display; the application model is taken from {@code context} when a menu opens. */
    public static void install(Display display, IEclipseContext context) {
        if (display.getData(INSTALLED) != null) {
            return;
        }
        display.setData(INSTALLED, Boolean.TRUE);
        // E4 writes its items' texts in its own Show listener, after any filter: the texts are completed by a
        // listener of the menu's own, added after E4's (when the window shows, and for a menu made later, at its
        // first showing, where the texts are completed once its event is through).
        display.addFilter(SWT.Show, e -> {
            if (e.widget instanceof Shell shell && shell.getMenuBar() != null) {
                for (MenuItem top : shell.getMenuBar().getItems()) {
                    hook(top.getMenu(), context);
                }
            } else if (e.widget instanceof Menu menu && isInBar(menu) && hook(menu, context)) {
                display.asyncExec(() -> complete(menu, context));
            }
        });
    }

    /** Adds the completing listener to a menu-bar menu once; true when it was not there yet. */
    private static boolean hook(Menu menu, IEclipseContext context) {
        if (menu == null || menu.isDisposed() || menu.getData(INSTALLED) != null) {
            return false;
        }
        menu.setData(INSTALLED, Boolean.TRUE);
        menu.addListener(SWT.Show, e -> complete(menu, context));
        return true;
    }

    private static boolean isInBar(Menu menu) {
        return !menu.isDisposed() && menu.getParentItem() != null
                && (menu.getParentItem().getParent().getStyle() & SWT.BAR) != 0;
    }

    private static void complete(Menu menu, IEclipseContext context) {
        if (menu.isDisposed()) {
            return;
        }
        MApplication application = context.get(MApplication.class);
        if (application == null) {
            return;
        }
        for (MenuItem item : menu.getItems()) {
            if (item.getText().contains("\t") || !(item.getData() instanceof HandledContributionItem contribution)) {
                continue;
            }
            MHandledItem model = contribution.getModel();
            String keys = model == null || model.getCommand() == null ? null
                    : keysOf(application, model.getCommand().getElementId());
            if (keys != null) {
                item.setText(item.getText() + "\t" + keys);
            }
        }
    }

    /** The key sequence (as the platform writes it: "Ctrl+F") bound to a command, or null. */
    static String keysOf(MApplication application, String commandId) {
        for (MBindingTable table : application.getBindingTables()) {
            for (MKeyBinding binding : table.getBindings()) {
                if (binding.getCommand() != null && commandId.equals(binding.getCommand().getElementId())) {
                    try {
                        return KeySequence.getInstance(binding.getKeySequence()).format();
                    } catch (ParseException | IllegalArgumentException ex) {
                        // a sequence the platform cannot read: no shortcut shown
                    }
                }
            }
        }
        return null;
    }
}
