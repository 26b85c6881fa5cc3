package org.parley.server.storage.h2;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.parley.protocol.message.Chat.Kind;
import org.parley.server.conversations.Conversation;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;

/**
 * The victim of {@link H2DurabilityTest}, run in a child JVM: appends batches to one conversation forever and
 * prints {@code ACK <seq>} for the last message of each batch once {@code append} has returned, until it is
 * killed. Message n (from 1) has client id {@code k<n>} and text {@code t<n>}, so the test can check content.
 * Arguments: data directory, fsync (true/false), batch size, and whether the messages are in the MVStore log.
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        boolean fsync = Boolean.parseBoolean(args[1]);
        int batch = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        boolean mvstoreLog = args.length > 3 && Boolean.parseBoolean(args[3]);
        H2Storage storage = H2Storage.open(dir, fsync, mvstoreLog);
        long ann = storage.accounts().create("ann", "Ann", "h", false, 1).id();
        Conversation c = storage.conversations().createGroup("victim", ann, List.of(), 1);
        out.println("READY " + c.id());
        out.flush();
        for (long n = 1;; ) {
            List<Draft> drafts = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++, n++) {
                drafts.add(new Draft(c.id(), ann, "k" + n, Kind.TEXT, n, "t" + n, new byte[0]));
            }
            List<AppendResult> results = storage.messages().append(drafts);
            out.println("ACK " + results.get(results.size() - 1).message().seq());
            out.flush();
        }
    }
}
