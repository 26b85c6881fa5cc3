package org.parley.ide.internal;

import org.eclipse.core.runtime.ILog;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.parley.ui.Icons;

/**
 * A view of the IDE that hosts one of Parley's E4 parts (the same class the Parley application shows) while the
 * user is signed in, and a "Sign in" prompt while not: an IDE starts without Parley, and Parley's parts need the
 * signed-in client. The part is made by dependency injection in a child of the view's Eclipse context (with its
 * own composite), so it finds the client, the part service and the view's {@code MPart} as in the application;
 * signing out disposes that context, which runs the part's {@code @PreDestroy}.
 */
public abstract class ParleyViewPart extends ViewPart {

    private Composite root;
    private StackLayout stack;
    private Composite prompt;
    private Label promptText;
    private Button signIn;
    private Composite content;
    private IEclipseContext partContext;
    private Object part;
    private final Runnable sessionChanged = this::update;

    /** The Parley part this view shows, or null when it has nothing to show (with {@link #promptText()}). */
    protected abstract Class<?> partClass();

    /** What the view says while signed out. */
    protected abstract String promptText();

    /** Sets up the part's context before the part is made (the chat view names its conversation). */
    protected void prepare(IEclipseContext context) {
    }

    /** The part was made (signed in) or put away (signed out). */
    protected void partChanged(Object part) {
    }

    @Override
    public void createPartControl(Composite parent) {
        root = new Composite(parent, SWT.NONE);
        stack = new StackLayout();
        root.setLayout(stack);
        prompt = new Composite(root, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).spacing(10, 8).applyTo(prompt);
        Label logo = new Label(prompt, SWT.NONE);
        logo.setImage(Icons.image("parley-32"));
        GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.BEGINNING).span(1, 2).applyTo(logo);
        promptText = new Label(prompt, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).hint(220, SWT.DEFAULT).applyTo(promptText);
        signIn = new Button(prompt, SWT.PUSH);
        signIn.setText("Sign in to Parley…");
        GridDataFactory.swtDefaults().applyTo(signIn);
        signIn.addListener(SWT.Selection, e -> ParleySession.get().signIn(getSite().getShell()));
        ParleySession.get().addListener(sessionChanged);
        update();
        ParleySession.get().signInIfKept(getSite().getShell());
    }

    /** Shows the part while signed in, the prompt while not. */
    private void update() {
        if (root == null || root.isDisposed()) {
            return;
        }
        boolean signedIn = ParleySession.get().client() != null;
        if (signedIn && part == null) {
            show();
        } else if (!signedIn && part != null) {
            hide();
        }
        promptText.setText(signedIn ? promptText() : promptText() + "\n\nYou are not signed in to Parley.");
        signIn.setVisible(!signedIn);
        ((GridData) signIn.getLayoutData()).exclude = signedIn;
        stack.topControl = part != null ? content : prompt;
        prompt.layout(true, true);
        root.layout(true, true);
    }

    private void show() {
        Class<?> type = partClass();
        if (type == null) {
            return;
        }
        content = new Composite(root, SWT.NONE);
        content.setLayout(new FillLayout());
        IEclipseContext site = getSite().getService(IEclipseContext.class);
        partContext = site.createChild(getClass().getSimpleName());
        partContext.set(Composite.class, content);
        try {
            prepare(partContext);
            part = ContextInjectionFactory.make(type, partContext);
            partChanged(part);
        } catch (RuntimeException | LinkageError e) {
            ILog.of(ParleyViewPart.class).error("cannot show " + type.getName() + " in " + getPartName(), e);
            partContext.dispose();
            content.dispose();
            part = null;
        }
    }

    private void hide() {
        part = null;
        partChanged(null);
        partContext.dispose();
        partContext = null;
        content.dispose();
        content = null;
    }

    /** The Parley part shown, or null while signed out (for tests). */
    public Object part() {
        return part;
    }

    /** The view's top composite (for tests). */
    public Composite control() {
        return root;
    }

    /** Whether the "Sign in" prompt is showing. */
    public boolean showsPrompt() {
        return root != null && !root.isDisposed() && stack.topControl == prompt && signIn.getVisible();
    }

    @Override
    public void setFocus() {
        if (part != null) {
            ContextInjectionFactory.invoke(part, Focus.class, partContext, null);
        } else if (signIn.getVisible()) {
            signIn.setFocus();
        } else {
            prompt.setFocus();
        }
    }

    @Override
    public void dispose() {
        ParleySession.get().removeListener(sessionChanged);
        if (part != null) {
            hide();
        }
        super.dispose();
    }
}
