package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.parley.chat.ui.ComposerAction;

/** Reads the contributions to {@code org.parley.chat.ui.composerActions}. */
final class ComposerActions {

    static final String EXTENSION_POINT = "org.parley.chat.ui.composerActions";

    record Contribution(String id, String label, String tooltip, ComposerAction action) {
    }

    private ComposerActions() {
    }

    /** One fresh instance of each contributed action; a broken contribution is logged and left out. */
    static List<Contribution> load() {
        List<Contribution> out = new ArrayList<>();
        if (RegistryFactory.getRegistry() == null) {
            return out;
        }
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            try {
                out.add(new Contribution(e.getAttribute("id"), e.getAttribute("label"),
                        e.getAttribute("tooltip"), (ComposerAction) e.createExecutableExtension("class")));
            } catch (CoreException | ClassCastException ex) {
                ILog.of(ComposerActions.class).error("composer action " + e.getAttribute("id") + " from "
                        + e.getContributor().getName() + " cannot be created", ex);
            }
        }
        return out;
    }
}
