import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.parley.server.search.MessageIndex;
import org.parley.server.search.lucene.LuceneMessageIndex;

/**
 * Search over 1,000,000 messages (issue 13): builds a LuceneMessageIndex in a temporary directory with N short
 * messages like the full bench's ("history message K with some ordinary length of text, like people write"),
 * spread over 100 conversations, one in 10,000 also with a rare word, then times 300 searches of the first page
 * (20 hits, newest first, membership of all 100 conversations), 100 of each kind: the rare word, the word every
 * message has ("ordinary") and its prefix ("ordin"). Reports p50/p99 wall time and CPU time (the searching
 * thread's, ThreadMXBean) per query, and the time to build the index.
 * Usage: java -cp parley-server.jar bench/micro/SearchMillion.java DIR [messages]
 */
public class SearchMillion {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> conversations = new ArrayList<>();
        for (long c = 1; c <= 100; c++) {
            conversations.add(c);
        }
        long t0 = System.nanoTime();
        try (LuceneMessageIndex index = LuceneMessageIndex.open(dir)) {
            List<MessageIndex.Entry> batch = new ArrayList<>();
            long ts = 1_700_000_000_000L;
            for (int k = 0; k < n; k++) {
                long conv = 1 + k % 100;
                String text = "history message " + k + " with some ordinary length of text, like people write"
                        + (k % 10_000 == 0 ? " zanzibar" : "");
                batch.add(new MessageIndex.Entry(conv, 1 + k / 100, ts + k, text, List.of()));
                if (batch.size() == 1000) {
                    index.add(batch);
                    batch.clear();
                }
            }
            index.add(batch);
            index.commit();
            index.refresh();
            double buildS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("# %d messages indexed in %.1f s%n", n, buildS);
            String[] kinds = {"zanzibar", "ordinary", "ordin"};
            // warm-up: 30 searches, not counted
            for (int i = 0; i < 30; i++) {
                index.search(List.of(kinds[i % 3]), conversations, null, 20);
            }
            long[][] wall = new long[3][100];
            long[][] cpu = new long[3][100];
            int[] hits = new int[3];
            for (int i = 0; i < 300; i++) {
                int kind = i % 3;
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                List<MessageIndex.Found> found = index.search(List.of(kinds[kind]), conversations, null, 20);
                wall[kind][i / 3] = System.nanoTime() - w0;
                cpu[kind][i / 3] = mx.getCurrentThreadCpuTime() - c0;
                hits[kind] = found.size();
            }
            // the second page through the cursor, as a check that paging still answers
            List<MessageIndex.Found> first = index.search(List.of("ordinary"), conversations, null, 20);
            List<MessageIndex.Found> second = index.search(List.of("ordinary"), conversations, first.getLast(), 20);
            System.out.printf("# newest hit %s, second page starts %s%n", first.getFirst(), second.getFirst());
            long[] allWall = new long[300];
            long[] allCpu = new long[300];
            for (int k = 0; k < 3; k++) {
                System.arraycopy(wall[k], 0, allWall, k * 100, 100);
                System.arraycopy(cpu[k], 0, allCpu, k * 100, 100);
                report(kinds[k], hits[k], wall[k], cpu[k], n, buildS);
            }
            report("all", 20, allWall, allCpu, n, buildS);
        }
    }

    private static void report(String kind, int hits, long[] wall, long[] cpu, int n, double buildS) {
        double wp50 = pct(wall, 50), wp99 = pct(wall, 99), cp50 = pct(cpu, 50), cp99 = pct(cpu, 99);
        double cmean = Arrays.stream(cpu).average().orElse(0) / 1e6;
        System.out.printf("%-9s queries %3d  page %2d  wall p50 %8.2f ms  p99 %8.2f ms  cpu p50 %8.2f ms  p99 %8.2f ms"
                + "  mean %8.2f ms%n", kind, wall.length, hits, wp50, wp99, cp50, cp99, cmean);
        System.out.printf("json {\"kind\":\"%s\",\"messages\":%d,\"queries\":%d,\"page\":%d,\"wallP50Ms\":%.3f,"
                + "\"wallP99Ms\":%.3f,\"cpuP50Ms\":%.3f,\"cpuP99Ms\":%.3f,\"cpuMeanMs\":%.3f,\"buildS\":%.1f}%n",
                kind, n, wall.length, hits, wp50, wp99, cp50, cp99, cmean, buildS);
    }

    /** Nearest-rank percentile, in ms. */
    private static double pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, rank - 1)] / 1e6;
    }
}
