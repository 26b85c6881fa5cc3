package org.parley.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Scenario "search" (Parley only): message search over a store seeded by the history scenario's seed phase
 * ({@code --phase seed} of "history", the same {@code --prefix}: a 1:1 conversation of {@code --total} messages
 * "history message K with some ordinary length of text, like people write"). Logs the first user in, waits until
 * the server's index has every stored message (the answer's {@code complete}), then runs {@code --queries}
 * searches one at a time (after 10 untimed ones), taking turns among three kinds: a rare word (one message's
 * number K: one hit), a common word ({@code ordinary}: every message, the newest 20 returned) and a prefix of it
 * ({@code ordin}); latencies per query, all kinds together, in the result line.
 *
 * <p>Options: --prefix P --total 1000000 --queries 200 --limit 20
 */
final class SearchScenario {

    private final Options o;
    private final Target t;

    SearchScenario(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    int run() throws Exception {
        String a = o.prefix + "ha";
        int total = o.integer("--total", 1000);
        int queries = o.integer("--queries", 100);
        int limit = o.integer("--limit", 20);
        Target.Client ca = Accounts.login(t, List.of(a), 1, i -> x -> {
        }).get(0);
        long start = System.nanoTime();
        Target.SearchPage page;
        do {
            page = ca.search("ordinary", limit).get(60, TimeUnit.SECONDS);
            if (!page.complete()) {
                Thread.sleep(200);
            }
        } while (!page.complete() && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(30));
        double indexWait = (System.nanoTime() - start) / 1e9;
        Random random = new Random(42);
        for (int i = 0; i < 10; i++) {
            ca.search(query(i, random, total), limit).get(60, TimeUnit.SECONDS);
        }
        Histogram h = new Histogram(3);
        int misses = 0;
        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        for (int i = 0; i < queries; i++) {
            String q = query(i, random, total);
            long t0 = System.nanoTime();
            Target.SearchPage p = ca.search(q, limit).get(60, TimeUnit.SECONDS);
            h.recordValue(System.nanoTime() - t0);
            if (p.hits() == 0) {
                misses++;
            }
        }
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        new Result(o, "search").put("storeSize", total).put("limit", limit).put("indexWaitSeconds",
                Math.round(indexWait * 10) / 10.0).put("misses", misses).latency(h).cpu(s0, s1).write(o);
        ca.close();
        return page.complete() && misses == 0 ? 0 : 3;
    }

    /** Turns among a rare word (one message's number), a common word and a prefix of it. */
    private static String query(int i, Random random, int total) {
        return switch (i % 3) {
            case 0 -> String.valueOf(random.nextInt(total));
            case 1 -> "ordinary";
            default -> "ordin";
        };
    }
}
