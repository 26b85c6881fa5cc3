package org.parley.contacts.ui.internal;

import org.eclipse.osgi.util.NLS;
import org.parley.client.core.DisplayNames;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;

/**
 * The one line a sidebar row shows of a conversation's last message: the sender first in a group ("Ann Lee: …",
 * "You: …"), a picture as "Photo", a video as "Video", another file as "📎 name", a text on one line.
 */
final class Previews {

    private Previews() {
    }

    static String of(Chat.ChatMessage m, Conversations.Kind kind, String me, DisplayNames names) {
        if (m == null) {
            return Messages.Preview_none;
        }
        if (m.kind() == Chat.Kind.SYSTEM) { // "ann added bob" with the display names known now
            return oneLine(org.parley.client.core.SystemLines.shown(m.text(), names));
        }
        String body;
        if (!m.attachments().isEmpty()) {
            Chat.Attachment a = m.attachments().get(0);
            String type = a.mediaType() == null ? "" : a.mediaType();
            body = type.startsWith("image/") ? Messages.Preview_photo : type.startsWith("video/")
                    ? Messages.Preview_video : NLS.bind(Messages.Preview_file, a.name());
        } else {
            body = oneLine(m.text());
        }
        if (m.sender().equals(me)) {
            return NLS.bind(Messages.Preview_you, body);
        }
        return kind == Conversations.Kind.GROUP ? NLS.bind(Messages.Preview_sender, names.of(m.sender()), body)
                : body;
    }

    private static String oneLine(String text) {
        String s = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
