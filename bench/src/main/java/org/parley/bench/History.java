package org.parley.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Scenario "history": the latest 1,000 messages of a 1:1 conversation that holds {@code --total}.
 *
 * <p>{@code --phase seed} creates the two users and sends {@code --seed} messages through the server (a window
 * of 5,000 in flight, paced by their arrival), so that the server stores them exactly as it stores any message;
 * bench/run.sh then multiplies the peers' archive rows in SQL up to the total (sending a million messages through
 * an XMPP server's archive would take hours here), while Parley gets all of them through its protocol.
 * {@code --phase query} logs the first user in and asks for the latest {@code --latest} messages
 * {@code --queries} times in a row (after 10 untimed ones), one at a time.
 *
 * <p>Options: --phase seed|query --prefix P (the same in both phases) --seed 1000000 --total 1000000
 * --latest 1000 --queries 200
 */
final class History {

    private final Options o;
    private final Target t;

    History(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    int run() throws Exception {
        String a = o.prefix + "ha";
        String b = o.prefix + "hb";
        if (o.get("--phase", "query").equals("seed")) {
            return seed(a, b, o.integer("--seed", 1000));
        }
        int latest = o.integer("--latest", 1000);
        int queries = o.integer("--queries", 100);
        Target.Client ca = Accounts.login(t, List.of(a), 1, i -> x -> {
        }).get(0);
        Target.Chat chat = ca.direct(b).get(30, TimeUnit.SECONDS);
        int perQuery = 0;
        for (int i = 0; i < 10; i++) {
            perQuery = chat.latest(latest).get(60, TimeUnit.SECONDS);
        }
        Histogram h = new Histogram(3);
        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            perQuery = chat.latest(latest).get(60, TimeUnit.SECONDS);
            h.recordValue(System.nanoTime() - start);
        }
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        new Result(o, "history").put("conversationSize", o.integer("--total", 0)).put("latest", latest)
                .put("perQuery", perQuery).latency(h).cpu(s0, s1).write(o);
        ca.close();
        return perQuery >= Math.min(latest, o.integer("--total", latest)) ? 0 : 3;
    }

    private int seed(String a, String b, int count) throws Exception {
        Accounts.register(t, List.of(a, b), 2);
        AtomicLong received = new AtomicLong();
        Target.Client ca = Accounts.login(t, List.of(a), 1, i -> x -> {
        }).get(0);
        Target.Client cb = Accounts.login(t, List.of(b), 1, i -> x -> received.incrementAndGet()).get(0);
        Target.Chat chat = ca.direct(b).get(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        long lastProgress = System.nanoTime();
        long lastReceived = 0;
        for (int k = 0; k < count; k++) {
            while (k - received.get() >= 5000) {
                Thread.sleep(1);
                if (received.get() != lastReceived) {
                    lastReceived = received.get();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("seeding stalled at " + received.get() + " of " + count);
                }
            }
            chat.send("t=0;s=0;history message " + k + " with some ordinary length of text, like people write");
        }
        while (received.get() < count && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(10);
            if (received.get() != lastReceived) {
                lastReceived = received.get();
                lastProgress = System.nanoTime();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("%s: seeded %d messages in %.1f s (%.0f/s)%n", t.name(), received.get(), seconds,
                received.get() / seconds);
        ca.close();
        cb.close();
        return received.get() >= count ? 0 : 3;
    }
}
