package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario "1:1 messages": {@code --pairs} sender/receiver pairs; the offered total rate steps through
 * {@code --rates} (msg/s) until latency breaks, then one more run at half the highest sustained rate.
 *
 * <p>One pacing thread sends message k at its intended time start + k/rate, round robin over the senders, and
 * the message carries that intended time. Latency is intended time → delivered to the receiving client, so a
 * generator or server that falls behind is charged for every message it delays (no coordinated omission). A step
 * is sustained when every message of it arrives and p99 ≤ {@code --p99-limit-ms}.
 *
 * <p>Options: --pairs 100 --rates 1000,2000,4000 --seconds 10 --warmup 3 --p99-limit-ms 200 --half-seconds 20
 */
final class OneToOne {

    private static final int MAX_STEPS = 64;

    private final Options o;
    private final Target t;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLongArray receivedInStep = new AtomicLongArray(MAX_STEPS);
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private final AtomicLong receivedInWindow = new AtomicLong();

    OneToOne(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    int run() throws Exception {
        int pairs = o.integer("--pairs", 100);
        int[] rates = o.integers("--rates", "1000,2000,4000");
        int seconds = o.integer("--seconds", 10);
        int warmup = o.integer("--warmup", 3);
        double p99Limit = o.integer("--p99-limit-ms", 200);
        int halfSeconds = o.integer("--half-seconds", 2 * seconds);

        List<String> a = Accounts.names(o.prefix, "a", pairs);
        List<String> b = Accounts.names(o.prefix, "b", pairs);
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        long t0 = System.nanoTime();
        Accounts.register(t, all, 32);
        Consumer<String> listener = this::received;
        List<Target.Client> senders = Accounts.login(t, a, 32, i -> x -> {
        });
        List<Target.Client> receivers = Accounts.login(t, b, 32, i -> listener);
        List<Target.Chat> chats = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            chats.add(senders.get(i).direct(b.get(i)).get(30, TimeUnit.SECONDS));
        }
        System.err.printf("%s: %d pairs ready in %.1f s%n", t.name(), pairs, (System.nanoTime() - t0) / 1e9);

        int step = 0;
        int best = 0;
        int brokenAt = 0;
        List<Integer> plan = new ArrayList<>();
        for (int r : rates) {
            plan.add(r);
        }
        boolean refined = false;
        for (int i = 0; i < plan.size() && step < MAX_STEPS - 2; i++) {
            int rate = plan.get(i);
            Result r = step(chats, ++step, rate, seconds, warmup, p99Limit, "step");
            if (Boolean.TRUE.equals(r.get("sustained"))) {
                best = Math.max(best, rate);
            } else {
                brokenAt = rate;
                if (!refined && best > 0 && rate > best * 1.2) {
                    refined = true; // one bisection between the last good and the first bad rate
                    plan.add(i + 1, (best + rate) / 2);
                    plan.subList(i + 2, plan.size()).clear();
                    continue;
                }
                break;
            }
        }
        int half = Math.max(1, (best > 0 ? best : rates[0]) / 2);
        Result h = step(chats, ++step, half, halfSeconds, warmup, p99Limit, "half-load");
        h.put("maxSustained", best).put("brokeAt", brokenAt);
        h.write(o);
        for (Target.Client c : senders) {
            c.close();
        }
        for (Target.Client c : receivers) {
            c.close();
        }
        return 0;
    }

    private void received(String text) {
        long now = System.nanoTime();
        int end = text.indexOf(';');
        if (!text.startsWith("t=") || end < 0) {
            return;
        }
        long intended = Long.parseLong(text, 2, end, 10);
        int stepEnd = text.indexOf(';', end + 1);
        int step = Integer.parseInt(text, end + 3, stepEnd, 10);
        receivedInStep.incrementAndGet(step);
        if (intended >= measureFrom && intended < measureTo) {
            recorder.recordValue(Math.max(0, now - intended));
            receivedInWindow.incrementAndGet();
        }
    }

    private Result step(List<Target.Chat> chats, int step, int rate, int seconds, int warmup, double p99Limit,
            String kind) throws Exception {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        receivedInWindow.set(0);
        recorder.getIntervalHistogram(); // reset
        ProcStats.Sample s0 = null;
        long sent = 0;
        long sentInWindow = 0;
        int n = chats.size();
        for (long k = 0;; k++) {
            long intended = start + k * interval;
            if (intended >= measureTo) {
                break;
            }
            if (s0 == null && intended >= measureFrom) {
                s0 = ProcStats.sample(o.serverPids);
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            chats.get((int) (k % n)).send("t=" + intended + ";s=" + step + ";bench");
            sent++;
            if (intended >= measureFrom) {
                sentInWindow++;
            }
        }
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(5, seconds));
        while (receivedInStep.get(step) < sent && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        Histogram h = recorder.getIntervalHistogram();
        long got = receivedInStep.get(step);
        boolean complete = got >= sent;
        Result r = new Result(o, "one-to-one").put("kind", kind).put("pairs", n).put("offered", rate)
                .put("seconds", seconds).put("sent", sent).put("received", got)
                .put("throughput", Math.round(receivedInWindow.get() / (double) seconds))
                .put("sentInWindow", sentInWindow).latency(h).cpu(s0, s1);
        for (long pid : o.serverPids.subList(0, Math.min(1, o.serverPids.size()))) {
            r.put("serverRssKiB", ProcStats.rssKiB(pid));
        }
        boolean sustained = complete && h.getTotalCount() > 0 && Result.ms(h.getValueAtPercentile(99)) <= p99Limit;
        r.put("sustained", sustained);
        if (!kind.equals("half-load")) {
            r.write(o);
        }
        if (!complete) {
            // An overloaded server may still be working off a backlog: let it, so that the next step starts clean.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (receivedInStep.get(step) < sent && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
        }
        return r;
    }
}
