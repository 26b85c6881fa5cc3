import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.parley.protocol.message.Chat;
import org.parley.server.conversations.Member;
import org.parley.server.messages.MessageStore;
import org.parley.server.storage.h2.H2Storage;

/**
 * Writes a long history into a stopped server's data directory through the server's own storage port (the same
 * MessageStore.append the server's message writer uses), much faster than sending it over the protocol. Run by
 * LongHistoryTest as {@code java -cp parley-server.jar SeedHistory.java DATA_DIR CONVERSATION ANN BOB COUNT}.
 * Every fourth message is bob's; the others are ann's; "message N" is the N-th; one message a minute, ending now.
 * Both members' marks end at the last message, so that a client signing in has nothing to catch up.
 */
public class SeedHistory {

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        long conversation = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[4]);
        try (H2Storage storage = H2Storage.open(dataDir, false)) {
            long ann = storage.accounts().findByName(args[2]).orElseThrow().id();
            long bob = storage.accounts().findByName(args[3]).orElseThrow().id();
            long first = storage.messages().lastSeq(conversation) + 1;
            long now = System.currentTimeMillis();
            List<MessageStore.Draft> batch = new ArrayList<>();
            for (long i = first; i < first + count; i++) {
                // No client message id: nothing to deduplicate, so append skips its per-message look-up.
                batch.add(new MessageStore.Draft(conversation, i % 4 == 0 ? bob : ann, "", Chat.Kind.TEXT,
                        now - (first + count - 1 - i) * 60_000L, "message " + i, new byte[0]));
                if (batch.size() == 10_000) {
                    storage.messages().append(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                storage.messages().append(batch);
            }
            long last = storage.messages().lastSeq(conversation);
            storage.conversations().updateMarks(List.of(new Member(conversation, ann, last, last),
                    new Member(conversation, bob, last, last)));
            System.out.println("seeded up to seq " + last);
        }
    }
}
