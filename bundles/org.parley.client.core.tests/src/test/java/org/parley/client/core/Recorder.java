package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;

/** Records a client's events and waits for them (generous time limits: waiting only, never timing). */
final class Recorder implements ClientListener {

    final List<Chat.ChatMessage> messages = new CopyOnWriteArrayList<>();
    final List<Chat.ChatMessage> sent = new CopyOnWriteArrayList<>();
    final List<Chat.ChatMessage> edits = new CopyOnWriteArrayList<>();
    final List<Chat.ChatMessage> deletions = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<Contacts.PresenceChanged> presence = new CopyOnWriteArrayList<>();
    final List<ParleyClientException> problems = new CopyOnWriteArrayList<>();
    final List<org.parley.protocol.message.Conversations.ConversationInfo> conversations =
            new CopyOnWriteArrayList<>();

    @Override
    public void conversationUpdated(org.parley.protocol.message.Conversations.ConversationInfo conversation) {
        conversations.add(conversation);
    }

    @Override
    public void message(Chat.ChatMessage message) {
        messages.add(message);
    }

    @Override
    public void messageEdited(Chat.ChatMessage edit) {
        edits.add(edit);
    }

    @Override
    public void messageDeleted(Chat.ChatMessage deletion) {
        deletions.add(deletion);
    }

    @Override
    public void messageSent(Chat.ChatMessage message) {
        sent.add(message);
    }

    @Override
    public void stateChanged(ConnectionState state) {
        states.add(state);
    }

    @Override
    public void presenceChanged(Contacts.PresenceChanged change) {
        presence.add(change);
    }

    @Override
    public void problem(ParleyClientException error) {
        problems.add(error);
    }

    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    List<String> texts(long conversationId) {
        List<String> out = new ArrayList<>();
        for (Chat.ChatMessage m : messages) {
            if (m.conversationId() == conversationId) {
                out.add(m.text());
            }
        }
        return out;
    }

    void awaitTexts(long conversationId, int count) {
        await(count + " messages", () -> texts(conversationId).size() >= count);
    }

    void awaitState(ConnectionState state) {
        await("state " + state, () -> !states.isEmpty() && states.get(states.size() - 1) == state);
    }

    void awaitPresence(Predicate<Contacts.PresenceChanged> match) {
        await("presence", () -> presence.stream().anyMatch(match));
    }

    /** Per conversation, the messages arrived in increasing seq order, each once. */
    void assertOrderedWithoutDuplicates() {
        messages.stream().map(Chat.ChatMessage::conversationId).distinct().forEach(c -> {
            List<Long> seqs = messages.stream().filter(m -> m.conversationId() == c).map(Chat.ChatMessage::seq)
                    .toList();
            assertThat(seqs).as("conversation " + c).isSorted().doesNotHaveDuplicates();
        });
    }
}
