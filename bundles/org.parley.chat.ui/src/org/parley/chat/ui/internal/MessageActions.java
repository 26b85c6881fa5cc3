package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.RegistryFactory;
import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;

/** Reads the contributions to {@code org.parley.chat.ui.messageActions}, and runs them safely. */
final class MessageActions {

    static final String EXTENSION_POINT = "org.parley.chat.ui.messageActions";
    private static final int DEFAULT_ORDER = 1000;

    record Contribution(String id, String label, int order, String contributor, MessageAction action) {

        /** Whether to offer it for this message; a contribution that throws is logged and not offered. */
        boolean isAvailable(MessageActionContext context) {
            try {
                return action.isAvailable(context);
            } catch (RuntimeException | LinkageError e) {
                log("failed in isAvailable", e);
                return false;
            }
        }

        void run(MessageActionContext context) {
            try {
                action.run(context);
            } catch (RuntimeException | LinkageError e) {
                log("failed in run", e);
            }
        }

        private void log(String what, Throwable e) {
            ILog.of(MessageActions.class).error("message action " + id + " from " + contributor + " " + what, e);
        }
    }

    private MessageActions() {
    }

    /** One fresh instance of each contributed action, in menu order; a broken contribution is logged and left out. */
    static List<Contribution> load() {
        List<Contribution> out = new ArrayList<>();
        if (RegistryFactory.getRegistry() == null) {
            return out;
        }
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
            try {
                out.add(new Contribution(e.getAttribute("id"), e.getAttribute("label"), order(e),
                        e.getContributor().getName(), (MessageAction) e.createExecutableExtension("class")));
            } catch (CoreException | ClassCastException | LinkageError ex) {
                ILog.of(MessageActions.class).error("message action " + e.getAttribute("id") + " from "
                        + e.getContributor().getName() + " cannot be created", ex);
            }
        }
        out.sort(Comparator.comparingInt(Contribution::order).thenComparing(Contribution::id));
        return out;
    }

    private static int order(IConfigurationElement e) {
        String order = e.getAttribute("order");
        if (order == null || order.isBlank()) {
            return DEFAULT_ORDER;
        }
        try {
            return Integer.parseInt(order.trim());
        } catch (NumberFormatException ex) {
            ILog.of(MessageActions.class).warn("message action " + e.getAttribute("id") + " from "
                    + e.getContributor().getName() + ": order \"" + order + "\" is not a number; using "
                    + DEFAULT_ORDER);
            return DEFAULT_ORDER;
        }
    }
}
