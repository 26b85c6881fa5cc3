package org.parley.ui.internal.home;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.model.application.ui.basic.MStackElement;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.parley.ui.ParleyUi;

/**
 * Shows the chat area's empty state ({@link HomePart}) exactly while the main stack holds no chat (or other part
 * a plug-in opened there): hidden when a chat opens, back when the last one closes.
 */
public class HomeAddon {

    @Inject
    IEventBroker events;
    @Inject
    EModelService models;
    @Inject
    MApplication application;

    private final EventHandler changed = this::changed;

    @PostConstruct
    void start() {
        events.subscribe(UIEvents.ElementContainer.TOPIC_CHILDREN, changed);
        events.subscribe(UIEvents.UIElement.TOPIC_TOBERENDERED, changed);
        update();
    }

    @PreDestroy
    void stop() {
        events.unsubscribe(changed);
    }

    private void changed(Event e) {
        Object element = e.getProperty(UIEvents.EventTags.ELEMENT);
        if (element instanceof MUIElement u && HomePart.ID.equals(u.getElementId())) {
            return; // our own change
        }
        if (element instanceof MPartStack || element instanceof MStackElement) {
            update();
        }
    }

    private void update() {
        if (!(models.find(ParleyUi.MAIN_STACK, application) instanceof MPartStack stack)) {
            return;
        }
        MStackElement home = null;
        boolean others = false;
        for (MStackElement s : stack.getChildren()) {
            if (HomePart.ID.equals(s.getElementId())) {
                home = s;
            } else if (s.isToBeRendered()) {
                others = true;
            }
        }
        if (home == null) {
            return;
        }
        if (home.isToBeRendered() == others) {
            home.setToBeRendered(!others);
        }
        if (!others && stack.getSelectedElement() != home) {
            stack.setSelectedElement(home);
        }
    }
}
