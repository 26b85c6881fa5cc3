import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore;
import org.parley.server.storage.h2.H2Storage;

/**
 * The message writer's storage call on its own: {@code MessageStore.append} of batches of N new text messages spread
 * over 100 direct conversations (as the 1:1 scenario sends them), on a file database with fsync on or off. Prints
 * microseconds per message and per batch, so that the cost of a batch and of each message in it can be told apart.
 *
 * <pre>
 * java -cp server/target/parley-server.jar bench/micro/AppendBatches.java [fsync true|false] [seconds per size] [batch size]
 * </pre>
 */
public class AppendBatches {
    private static int[] batchSizes(String[] a) {
        return a.length > 2 ? new int[] {Integer.parseInt(a[2])} : new int[] {1, 10, 100, 1000};
    }

    public static void main(String[] a) throws Exception {
        boolean fsync = a.length > 0 ? Boolean.parseBoolean(a[0]) : true;
        int seconds = a.length > 1 ? Integer.parseInt(a[1]) : 5;
        Path dir = Files.createTempDirectory("append-batches");
        try (H2Storage s = H2Storage.open(dir, fsync)) {
            long[] conversations = new long[100];
            long[] senders = new long[100];
            for (int i = 0; i < 100; i++) {
                long x = s.accounts().create("a" + i, "a" + i, "x", false, 0).id();
                long y = s.accounts().create("b" + i, "b" + i, "x", false, 0).id();
                conversations[i] = s.conversations().findOrCreateDirect(x, y, 0).id();
                senders[i] = x;
            }
            MessageStore m = s.messages();
            int k = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up the JIT
                for (int n : batchSizes(a)) {
                    long end = System.nanoTime() + seconds * 1_000_000_000L;
                    long start = System.nanoTime();
                    long messages = 0, batches = 0;
                    while (System.nanoTime() < end) {
                        List<MessageStore.Draft> batch = new ArrayList<>(n);
                        for (int i = 0; i < n; i++, k++) {
                            batch.add(new MessageStore.Draft(conversations[k % 100], senders[k % 100],
                                    UUID.randomUUID().toString(), Kind.TEXT, System.currentTimeMillis(),
                                    "message " + k + " with some text in it, about as long as a chat line", new byte[0]));
                        }
                        m.append(batch);
                        messages += n;
                        batches++;
                    }
                    double us = (System.nanoTime() - start) / 1e3;
                    if (round == 1) {
                        System.out.printf("batch %4d: %8.0f msg/s, %7.1f us/message, %8.1f us/batch (%d messages)%n",
                                n, messages / (us / 1e6), us / messages, us / batches, messages);
                    }
                }
            }
        }
    }
}
