import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.parley.protocol.ClientIds;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore;
import org.parley.server.storage.h2.H2Storage;

/**
 * The write-path options for the message log, measured in CPU time (so that the figures mean something on a
 * loaded machine): each variant appends batches of N new text messages spread over 100 direct conversations, one
 * transaction (or MVStore commit) and one fsync per batch, and reports the appending thread's CPU (user + system,
 * {@link ThreadMXBean#getCurrentThreadCpuTime}) per message, the CPU of the sync call alone, the whole process's CPU
 * per message (JIT and GC threads included), and wall time (meaningless under load; printed for reference).
 *
 * <ul>
 * <li>{@code sql}: today's {@code MessageStore.append} (H2Storage, SQL; duplicate check by SELECT, conversation's
 * {@code last_seq} and the sender's marks updated in the transaction). Opened with fsync off and synced here with
 * the same {@code CHECKPOINT SYNC}, so the sync's own CPU is told apart (the store does exactly that when fsync is on).
 * <li>{@code sql-lean}: the same H2 database and URL, a message table with the same columns, primary key
 * {@code (conversation_id, seq)} and the unique client-id index; one batched INSERT per batch: no SELECT for
 * duplicates (the unique index refuses one), sequence numbers from memory, no {@code last_seq} or marks update.
 * <li>{@code sql-pk}: as {@code sql-lean} without the client-id index (one B-tree per message).
 * <li>{@code mvstore}: H2's MVStore used directly (no SQL, no transaction store): an MVMap keyed by
 * (conversation, seq) holding the encoded message, and an MVMap from (sender, client id) to (conversation, seq)
 * for duplicates (looked up, then put); one {@code MVStore.commit()} and one {@code sync()} per batch.
 * <li>{@code mvstore-log}: as {@code mvstore} without the client-id map.
 * <li>{@code mvstore-append}: an append-only log in MVStore: an MVMap keyed by one global, growing position (each
 * commit writes to the tree's last leaf), the encoded message holding its conversation, seq and client id; the
 * (conversation, seq) index and the client-id map are kept in memory and written to their MVMaps every
 * {@code INDEX_EVERY} messages (in that batch's commit), so that a restart rebuilds only the log's tail after the
 * last index write. Duplicates are looked up in memory first, then in the client-id map.
 * <li>{@code mvlog}: the H2 adapter as built with {@code message-log=mvstore} ({@code MvStoreMessageLog}, opened by
 * {@code H2Storage.open(dir, true, true)}): the adapter's {@code append} with everything it does per batch (the
 * MVStore log, its commit and sync; the senders' marks are written behind, at its index checkpoints, since #17
 * part 7). Its sync runs inside {@code append} (fsync on), so the "of it sync" column is 0 for it and its total
 * includes the sync.
 * <li>{@code mvlog-marks}: {@code mvlog} plus, after each batch, the senders' marks written in one SQL transaction
 * (one {@code UPDATE} per conversation and sender of the batch, {@code ConversationStore.updateMarks}): what the
 * adapter did per batch before the marks were written behind (#17 part 2), for a before/after pair in one run.
 * </ul>
 * A variant name ending in {@code +ordered} runs that variant with client message ids that sort by time per sender
 * (version 7 UUIDs from {@code org.parley.protocol.ClientIds}, what Parley's client sends since #17) instead of random
 * version 4 UUIDs (what it sent before, and what other clients may send): the client-id index then grows at its
 * end, as the message index does.
 *
 * <pre>
 * java -cp server/target/parley-server.jar bench/micro/MessageLogOptions.java DATA-DIR [variants] [batch sizes] [scale]
 * e.g. ... bench/target/message-log sql,sql-lean,sql-pk,mvstore,mvstore-log 1,10,100,1000 1
 * </pre>
 * The data directory must be on a real disk (not tmpfs, where fsync costs nothing). {@code scale} multiplies the
 * number of messages measured per batch size (default 1: 2,000 batches of 1 and 10, 300 of 100, 40 of 1,000).
 * Output: one line per variant and batch size, and a JSON line each (prefix {@code json}).
 */
public class MessageLogOptions {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One variant: appends a batch (committed, not yet synced), and syncs. */
    interface Log extends AutoCloseable {
        void append(List<MessageStore.Draft> batch) throws Exception;

        void sync() throws Exception;

        @Override
        void close() throws Exception;
    }

    static long[] conversations = new long[100];
    static long[] senders = new long[100];

    public static void main(String[] a) throws Exception {
        Path root = Path.of(a[0]);
        String[] variants = (a.length > 1 ? a[1] : "sql,sql-lean,sql-pk,mvstore,mvstore-log,mvstore-append").split(",");
        String[] sizeArgs = (a.length > 2 ? a[2] : "1,10,100,1000").split(",");
        double scale = a.length > 3 ? Double.parseDouble(a[3]) : 1;
        Files.createDirectories(root);
        System.out.printf("# %s, %d processors, load average %.2f at start; CPU = user + system time of the "
                + "appending thread, process = all threads of the JVM%n", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), OS.getSystemLoadAverage());
        for (String v : variants) {
            Path dir = Files.createTempDirectory(root, v.replace('+', '-') + "-");
            try (Log log = open(v, dir)) {
                int k = 0;
                for (int round = 0; round < 2; round++) { // the first round warms up the JIT
                    for (String s : sizeArgs) {
                        int n = Integer.parseInt(s);
                        int batches = (int) Math.max(5, scale * (n <= 10 ? 2000 : n <= 100 ? 300 : 40)
                                / (round == 0 ? 4 : 1));
                        k = measure(v, log, n, batches, k, round == 1);
                    }
                }
            }
        }
    }

    /**
     * A client message id: random (a version 4 UUID, as Parley's client made them until #17 and other clients may
     * still) or ordered by time (a version 7 UUID from {@link ClientIds}, as Parley's client makes them now).
     */
    private static String clientId(boolean ordered) {
        return ordered ? ClientIds.next() : UUID.randomUUID().toString();
    }

    private static int measure(String variant, Log log, int n, int batches, int k, boolean print) throws Exception {
        boolean ordered = variant.endsWith("+ordered");
        long cpu = 0, syncCpu = 0, wall = 0, syncWall = 0;
        long process0 = OS.getProcessCpuTime();
        double load = OS.getSystemLoadAverage();
        for (int b = 0; b < batches; b++) {
            List<MessageStore.Draft> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++, k++) {
                batch.add(new MessageStore.Draft(conversations[k % 100], senders[k % 100],
                        clientId(ordered), Kind.TEXT, System.currentTimeMillis(),
                        "message " + k + " with some text in it, about as long as a chat line", new byte[0]));
            }
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            log.append(batch);
            long c1 = THREADS.getCurrentThreadCpuTime();
            long w1 = System.nanoTime();
            log.sync();
            long c2 = THREADS.getCurrentThreadCpuTime();
            long w2 = System.nanoTime();
            cpu += c2 - c0;
            syncCpu += c2 - c1;
            wall += w2 - w0;
            syncWall += w2 - w1;
        }
        long process = OS.getProcessCpuTime() - process0;
        long messages = (long) n * batches;
        if (print) {
            System.out.printf("%-12s batch %4d: CPU %7.1f us/message (%8.1f us/batch, of it sync %6.1f us); "
                    + "process CPU %7.1f us/message; => %7.0f msg/s per core of appending-thread CPU; wall %7.1f "
                    + "us/message, sync wall %7.1f us/batch (%d messages)%n", variant, n, cpu / 1e3 / messages,
                    cpu / 1e3 / batches, syncCpu / 1e3 / batches, process / 1e3 / messages, messages / (cpu / 1e9),
                    wall / 1e3 / messages, syncWall / 1e3 / batches, messages);
            System.out.printf("json {\"variant\":\"%s\",\"batch\":%d,\"messages\":%d,\"cpuUsPerMessage\":%.2f,"
                    + "\"cpuUsPerBatch\":%.1f,\"syncCpuUsPerBatch\":%.1f,\"processCpuUsPerMessage\":%.2f,"
                    + "\"wallUsPerMessage\":%.2f,\"syncWallUsPerBatch\":%.1f,\"load\":%.2f}%n", variant, n, messages,
                    cpu / 1e3 / messages, cpu / 1e3 / batches, syncCpu / 1e3 / batches, process / 1e3 / messages,
                    wall / 1e3 / messages, syncWall / 1e3 / batches, load);
        }
        return k;
    }

    private static Log open(String variant, Path dir) throws Exception {
        return switch (variant.replace("+ordered", "")) {
            case "sql" -> new Sql(dir);
            case "sql-lean" -> new LeanSql(dir, true);
            case "sql-pk" -> new LeanSql(dir, false);
            case "mvstore" -> new MvLog(dir, true);
            case "mvstore-log" -> new MvLog(dir, false);
            case "mvstore-append" -> new MvAppendLog(dir);
            case "mvlog" -> new Adapter(dir, false);
            case "mvlog-marks" -> new Adapter(dir, true);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    /** Today's store, with its conversations and accounts, synced here as the store does with fsync on. */
    static final class Sql implements Log {
        private final H2Storage storage;
        private final Connection syncer;

        private final Path dir;
        private long largest;

        Sql(Path dir) throws Exception {
            this.dir = dir;
            storage = H2Storage.open(dir, false, false);
            for (int i = 0; i < 100; i++) {
                long x = storage.accounts().create("a" + i, "a" + i, "x", false, 0).id();
                long y = storage.accounts().create("b" + i, "b" + i, "x", false, 0).id();
                conversations[i] = storage.conversations().findOrCreateDirect(x, y, 0).id();
                senders[i] = x;
            }
            syncer = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("parley")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000", "parley", "");
        }

        @Override
        public void append(List<MessageStore.Draft> batch) throws Exception {
            storage.messages().append(batch);
            largest = Math.max(largest, Files.size(dir.resolve("parley.mv.db")));
        }

        @Override
        public void sync() throws Exception {
            try (Statement s = syncer.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }

        @Override
        public void close() throws Exception {
            long messages = storage.messages().lastSeqs().stream().mapToLong(MessageStore.LastSeq::lastSeq).sum();
            syncer.close();
            storage.close();
            System.out.printf("# sql: %d messages, database file at most %d KiB while appending, %d KiB after close "
                    + "(%s)%n", messages, largest / 1024, Files.size(dir.resolve("parley.mv.db")) / 1024,
                    dir.getFileName());
        }
    }

    /** The H2 adapter with message-log=mvstore (MvStoreMessageLog), fsync on: its append commits and syncs. */
    static final class Adapter implements Log {
        private final H2Storage storage;
        private final Path dir;
        private final boolean marksEachBatch;
        private long largest;

        Adapter(Path dir, boolean marksEachBatch) {
            this.dir = dir;
            this.marksEachBatch = marksEachBatch;
            storage = H2Storage.open(dir, true, true);
            for (int i = 0; i < 100; i++) {
                long x = storage.accounts().create("a" + i, "a" + i, "x", false, 0).id();
                long y = storage.accounts().create("b" + i, "b" + i, "x", false, 0).id();
                conversations[i] = storage.conversations().findOrCreateDirect(x, y, 0).id();
                senders[i] = x;
            }
        }

        @Override
        public void append(List<MessageStore.Draft> batch) throws Exception {
            List<MessageStore.AppendResult> stored = storage.messages().append(batch);
            if (marksEachBatch) {
                Map<List<Long>, org.parley.server.conversations.Member> marks = new HashMap<>();
                for (MessageStore.AppendResult r : stored) {
                    var m = r.message();
                    marks.put(List.of(m.conversationId(), m.senderId()), new org.parley.server.conversations.Member(
                            m.conversationId(), m.senderId(), m.seq(), m.seq()));
                }
                storage.conversations().updateMarks(marks.values());
            }
            largest = Math.max(largest, Files.size(dir.resolve("parley.messages.mvlog")));
        }

        @Override
        public void sync() {
            // in append
        }

        @Override
        public void close() throws Exception {
            long messages = storage.messages().lastSeqs().stream().mapToLong(MessageStore.LastSeq::lastSeq).sum();
            storage.close();
            Path log = dir.resolve("parley.messages.mvlog");
            Path live = dir.resolve("live.mvlog");
            MVStore.compact(log.toString(), live.toString(), false, null);
            System.out.printf("# mvlog: %d messages, log file at most %d KiB while appending, %d KiB after close, "
                    + "live data %d KiB (an offline compacted copy); SQL database %d KiB (%s)%n", messages,
                    largest / 1024, Files.size(log) / 1024, Files.size(live) / 1024,
                    Files.size(dir.resolve("parley.mv.db")) / 1024, dir.getFileName());
        }
    }

    /** A leaner message table in the same kind of database (same URL settings as H2Storage). */
    static final class LeanSql implements Log {
        private final Connection c;
        private final Map<Long, Long> lastSeq = new HashMap<>();

        LeanSql(Path dir, boolean clientIdIndex) throws Exception {
            c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("parley")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000", "parley", "");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE messages (conversation_id BIGINT NOT NULL, seq BIGINT NOT NULL, "
                        + "sender_id BIGINT NOT NULL, client_msg_id VARCHAR(64), kind TINYINT NOT NULL, "
                        + "ts BIGINT NOT NULL, text VARCHAR(1048576) NOT NULL, attachments VARBINARY(1000000), "
                        + "PRIMARY KEY (conversation_id, seq))");
                if (clientIdIndex) {
                    s.execute("CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_msg_id)");
                }
            }
            for (int i = 0; i < 100; i++) {
                conversations[i] = i + 1;
                senders[i] = 1000 + i;
            }
            c.setAutoCommit(false);
        }

        @Override
        public void append(List<MessageStore.Draft> batch) throws Exception {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (conversation_id, seq, sender_id, "
                    + "client_msg_id, kind, ts, text, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (MessageStore.Draft d : batch) {
                    long seq = lastSeq.merge(d.conversationId(), 1L, Long::sum);
                    ps.setLong(1, d.conversationId());
                    ps.setLong(2, seq);
                    ps.setLong(3, d.senderId());
                    ps.setString(4, d.clientMessageId());
                    ps.setInt(5, d.kind().ordinal());
                    ps.setLong(6, d.timestamp());
                    ps.setString(7, d.text());
                    ps.setBytes(8, null);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }

        @Override
        public void sync() throws Exception {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }

        @Override
        public void close() throws Exception {
            c.close();
        }
    }

    /** (conversation, seq) as a fixed 16-byte key, ordered by conversation then seq. */
    static final class KeyType extends BasicDataType<long[]> {
        static final KeyType INSTANCE = new KeyType();

        @Override
        public int getMemory(long[] k) {
            return 40;
        }

        @Override
        public void write(WriteBuffer buff, long[] k) {
            buff.putLong(k[0]).putLong(k[1]);
        }

        @Override
        public long[] read(ByteBuffer buff) {
            return new long[] {buff.getLong(), buff.getLong()};
        }

        @Override
        public int compare(long[] x, long[] y) {
            int c = Long.compare(x[0], y[0]);
            return c != 0 ? c : Long.compare(x[1], y[1]);
        }

        @Override
        public long[][] createStorage(int size) {
            return new long[size][];
        }
    }

    /** H2's MVStore as the message log, no SQL and no transaction store; commit and sync per batch. */
    static final class MvLog implements Log {
        private final MVStore store;
        private final MVMap<long[], byte[]> messages;
        private final MVMap<String, long[]> clientIds;
        private final Map<Long, Long> lastSeq = new HashMap<>();

        MvLog(Path dir, boolean clientIdMap) {
            store = new MVStore.Builder().fileName(dir.resolve("log.mv.db").toString()).autoCommitDisabled().open();
            messages = store.openMap("messages", new MVMap.Builder<long[], byte[]>().keyType(KeyType.INSTANCE)
                    .valueType(ByteArrayDataType.INSTANCE).singleWriter());
            clientIds = clientIdMap ? store.openMap("client_ids", new MVMap.Builder<String, long[]>()
                    .keyType(StringDataType.INSTANCE).valueType(KeyType.INSTANCE).singleWriter()) : null;
            for (int i = 0; i < 100; i++) {
                conversations[i] = i + 1;
                senders[i] = 1000 + i;
            }
        }

        @Override
        public void append(List<MessageStore.Draft> batch) {
            for (MessageStore.Draft d : batch) {
                String clientKey = null;
                if (clientIds != null) {
                    clientKey = d.senderId() + "/" + d.clientMessageId();
                    if (clientIds.get(clientKey) != null) {
                        continue; // a duplicate: answered from the stored message
                    }
                }
                long seq = lastSeq.merge(d.conversationId(), 1L, Long::sum);
                long[] key = {d.conversationId(), seq};
                messages.put(key, encode(d));
                if (clientIds != null) {
                    clientIds.put(clientKey, key);
                }
            }
            store.commit();
        }

        static byte[] encode(MessageStore.Draft d) {
            return encode(d, 0, 0);
        }

        /** The message as the log stores it (with its conversation and seq when the key does not hold them). */
        static byte[] encode(MessageStore.Draft d, long conversation, long seq) {
            byte[] client = d.clientMessageId().getBytes(StandardCharsets.UTF_8);
            byte[] text = d.text().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(16 + 8 + 1 + 8 + 2 + client.length + 4 + text.length + 4);
            b.putLong(conversation).putLong(seq).putLong(d.senderId()).put((byte) d.kind().ordinal())
                    .putLong(d.timestamp())
                    .putShort((short) client.length).put(client).putInt(text.length).put(text).putInt(0);
            return b.array();
        }

        @Override
        public void sync() {
            store.sync();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** An append-only log in MVStore, its indexes written every {@link #INDEX_EVERY} messages. */
    static final class MvAppendLog implements Log {
        static final int INDEX_EVERY = 10_000;
        private final MVStore store;
        private final MVMap<Long, byte[]> log;
        private final MVMap<long[], Long> byConversation;
        private final MVMap<String, long[]> clientIds;
        private final Map<Long, Long> lastSeq = new HashMap<>();
        private final Map<String, long[]> pendingClientIds = new HashMap<>();
        private final List<long[]> pendingIndex = new ArrayList<>();
        private long position;

        MvAppendLog(Path dir) {
            store = new MVStore.Builder().fileName(dir.resolve("log.mv.db").toString()).autoCommitDisabled().open();
            log = store.openMap("log", new MVMap.Builder<Long, byte[]>()
                    .keyType(org.h2.mvstore.type.LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE)
                    .singleWriter());
            byConversation = store.openMap("by_conversation", new MVMap.Builder<long[], Long>()
                    .keyType(KeyType.INSTANCE).valueType(org.h2.mvstore.type.LongDataType.INSTANCE).singleWriter());
            clientIds = store.openMap("client_ids", new MVMap.Builder<String, long[]>()
                    .keyType(StringDataType.INSTANCE).valueType(KeyType.INSTANCE).singleWriter());
            for (int i = 0; i < 100; i++) {
                conversations[i] = i + 1;
                senders[i] = 1000 + i;
            }
        }

        @Override
        public void append(List<MessageStore.Draft> batch) {
            for (MessageStore.Draft d : batch) {
                String clientKey = d.senderId() + "/" + d.clientMessageId();
                if (pendingClientIds.containsKey(clientKey) || clientIds.get(clientKey) != null) {
                    continue;
                }
                long seq = lastSeq.merge(d.conversationId(), 1L, Long::sum);
                long at = ++position;
                log.put(at, MvLog.encode(d, d.conversationId(), seq));
                long[] key = {d.conversationId(), seq};
                pendingClientIds.put(clientKey, key);
                pendingIndex.add(new long[] {d.conversationId(), seq, at});
            }
            if (pendingIndex.size() >= INDEX_EVERY) {
                for (long[] e : pendingIndex) {
                    byConversation.put(new long[] {e[0], e[1]}, e[2]);
                }
                clientIds.putAll(pendingClientIds);
                pendingIndex.clear();
                pendingClientIds.clear();
            }
            store.commit();
        }

        @Override
        public void sync() {
            store.sync();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
