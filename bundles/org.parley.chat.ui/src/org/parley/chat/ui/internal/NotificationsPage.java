package org.parley.chat.ui.internal;

import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.parley.ui.Preferences;

/**
 * Preferences &gt; Notifications (the chat plug-in's page): desktop notifications for new messages in chats not in
 * front, and a sound with them. Kept where they always were, in the application's preferences
 * ({@link Preferences#notifications()}, {@link Preferences#sound()}), which {@link ChatNotifications} reads.
 */
public class NotificationsPage extends PreferencePage {

    private Button notifications;
    private Button sound;

    public NotificationsPage() {
        setDescription(Messages.NotificationsPage_description);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(c);
        notifications = new Button(c, SWT.CHECK);
        notifications.setText(Messages.NotificationsPage_notifications);
        notifications.setSelection(Preferences.notifications());
        sound = new Button(c, SWT.CHECK);
        sound.setText(Messages.NotificationsPage_sound);
        sound.setSelection(Preferences.sound());
        return c;
    }

    @Override
    protected void performDefaults() {
        notifications.setSelection(true);
        sound.setSelection(false);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (notifications != null) {
            Preferences.node().putBoolean(Preferences.NOTIFICATIONS, notifications.getSelection());
            Preferences.node().putBoolean(Preferences.SOUND, sound.getSelection());
            Preferences.save();
        }
        return true;
    }
}
