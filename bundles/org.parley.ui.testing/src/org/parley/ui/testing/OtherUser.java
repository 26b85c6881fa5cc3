package org.parley.ui.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;

/**
 * Someone else on the test server, the other side of a UI test's conversation: signed in through the client core
 * (not through the UI under test), registered on creation with the password "password-" + user, recording every
 * message it receives, signed out on close.
 */
public final class OtherUser implements AutoCloseable {

    private final ParleyClient client;
    private final List<Chat.ChatMessage> received = new CopyOnWriteArrayList<>();

    private OtherUser(ParleyClient client) {
        this.client = client;
        client.addListener(new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                received.add(m);
            }
        });
    }

    /** Registers {@code user} on the plaintext test server at {@code port} and stays signed in. */
    public static OtherUser register(int port, String user, String displayName) throws Exception {
        ParleyClient client = new ParleyClient(ParleyClient.Config.of("127.0.0.1", port).plaintext());
        try {
            client.register(user, "password-" + user, displayName).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.close();
            throw e;
        }
        return new OtherUser(client);
    }

    public ParleyClient client() {
        return client;
    }

    /** Every message this user received so far, oldest first. */
    public List<Chat.ChatMessage> received() {
        return received;
    }

    @Override
    public void close() {
        client.close();
    }
}
