package org.parley.ui.internal.home;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.parley.ui.Icons;

/**
 * What the chat area shows while no chat is open, as Slack and Element do: what to do next, with buttons for the
 * commands that start a chat (Add contact, New group: the contacts plug-in's, offered when their handlers are
 * there).
 */
public class HomePart {

    /** The part's id (in Application.e4xmi's main stack). */
    public static final String ID = "org.parley.ui.part.home";
    static final String ADD_CONTACT = "org.parley.contacts.ui.command.add";
    static final String NEW_GROUP = "org.parley.contacts.ui.command.group";

    @Inject
    @Optional
    ECommandService commands;
    @Inject
    @Optional
    EHandlerService handlers;

    @PostConstruct
    void create(Composite parent) {
        parent.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        parent.setBackgroundMode(SWT.INHERIT_DEFAULT);
        GridLayoutFactory.fillDefaults().applyTo(parent);
        Composite box = new Composite(parent, SWT.NONE);
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).grab(true, true).applyTo(box);
        GridLayoutFactory.swtDefaults().numColumns(2).equalWidth(false).spacing(8, 8).applyTo(box);
        Label logo = new Label(box, SWT.NONE);
        logo.setImage(Icons.image(Icons.CHAT));
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).span(2, 1).applyTo(logo);
        Label title = new Label(box, SWT.CENTER);
        title.setText(Messages.Home_title);
        Font big = JFaceResources.getFontRegistry().getBold(JFaceResources.HEADER_FONT);
        title.setFont(big);
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).span(2, 1).applyTo(title);
        boolean add = available(ADD_CONTACT);
        boolean group = available(NEW_GROUP);
        Label text = new Label(box, SWT.CENTER | SWT.WRAP);
        text.setText(add || group ? Messages.Home_text : Messages.Home_nothingToStart);
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).span(2, 1).applyTo(text);
        if (add) {
            button(box, Messages.Home_addContact, Icons.ADD_CONTACT, ADD_CONTACT);
        }
        if (group) {
            button(box, Messages.Home_newGroup, Icons.NEW_GROUP, NEW_GROUP);
        }
    }

    private void button(Composite box, String label, String icon, String command) {
        Button b = new Button(box, SWT.PUSH);
        b.setText(label);
        b.setImage(Icons.image(icon));
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).applyTo(b);
        b.addListener(SWT.Selection, e -> {
            ParameterizedCommand c = commands.createCommand(command, null);
            if (c != null) {
                handlers.executeHandler(c);
            }
        });
    }

    private boolean available(String command) {
        if (commands == null || handlers == null || commands.getCommand(command) == null
                || !commands.getCommand(command).isDefined()) {
            return false;
        }
        ParameterizedCommand c = commands.createCommand(command, null);
        return c != null && handlers.canExecute(c);
    }
}
