package org.parley.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Offers messages at a fixed rate and measures their deliveries, for the 1:1 and group scenarios.
 *
 * <p>One pacing thread sends message k at its intended time start + k/rate, round robin over the chats, and the
 * message carries that intended time and the step number. Latency is intended time → delivered to a receiving
 * client, so a generator or server that falls behind is charged for every message it delays (no coordinated
 * omission, as in wrk2). Only messages intended inside the measurement window (after the warm-up) count.
 */
final class Load {

    static final int MAX_STEPS = 64;

    private final Options o;
    private final ServerStages stages;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLongArray receivedInStep = new AtomicLongArray(MAX_STEPS);
    private final AtomicLong receivedInWindow = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;

    Load(Options o) {
        this.o = o;
        this.stages = ServerStages.of(o);
    }

    /** The listener every receiving client gets. */
    void received(String text) {
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

    /**
     * One step: {@code rate} messages a second over {@code chats}, each expected to reach {@code fanOut}
     * receivers. Sustained when every delivery arrived and p99 ≤ {@code p99LimitMs}.
     */
    Result step(String scenario, List<Target.Chat> chats, int fanOut, int step, double rate, int seconds,
            int warmup, double p99LimitMs) throws InterruptedException {
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        receivedInWindow.set(0);
        recorder.getIntervalHistogram(); // reset
        ProcStats.Sample s0 = null;
        ProcStats.Sample db0 = null;
        Map<String, TreeMap<Double, Double>> stages0 = null;
        long sent = 0;
        long measured = 0; // sent after s0: the messages the server's CPU time is divided by
        int n = chats.size();
        for (long k = 0;; k++) {
            long intended = start + k * interval;
            if (intended >= measureTo) {
                break;
            }
            if (s0 == null && intended >= measureFrom) {
                s0 = ProcStats.sample(o.serverPids);
                db0 = o.dbPids.isEmpty() ? null : ProcStats.sample(o.dbPids);
                stages0 = stages == null ? null : stages.scrape();
                GeneratorGc.get().reset();
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            chats.get((int) (k % n)).send("t=" + intended + ";s=" + step + ";bench");
            sent++;
            if (s0 != null) {
                measured++;
            }
        }
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        long expected = sent * fanOut;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(5, seconds));
        while (receivedInStep.get(step) < expected && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        // The server's CPU time (its processes and their children: PostgreSQL's backends, NATS) from the window's
        // start until the window's messages were delivered, per message and per delivery: a cost that holds on a
        // shared machine where the latency does not.
        ProcStats.Sample s2 = ProcStats.sample(o.serverPids);
        ProcStats.Sample db2 = db0 == null ? null : ProcStats.sample(o.dbPids);
        Histogram h = recorder.getIntervalHistogram();
        long got = receivedInStep.get(step);
        boolean complete = got >= expected;
        Result r = new Result(o, scenario).put("offered", Math.round(rate)).put("seconds", seconds)
                .put("sent", sent).put("expected", expected).put("delivered", got)
                .put("deliveriesPerSecond", Math.round(receivedInWindow.get() / (double) seconds)).latency(h)
                .cpu(s0, s1);
        if (!o.serverPids.isEmpty()) {
            r.put("serverRssKiB", ProcStats.rssKiB(o.serverPids.get(0)));
            if (s0 != null && measured > 0) {
                double cpuMs = ProcStats.serverCpuMillis(s0, s2);
                r.put("measuredMessages", measured).put("serverCpuMs", Math.round(cpuMs))
                        .put("serverCpuUsPerMessage", Math.round(cpuMs * 1000 / measured))
                        .put("serverCpuUsPerDelivery", Math.round(cpuMs * 1000 / (measured * (double) fanOut)));
                if (db0 != null) {
                    // The database's part of it (PostgreSQL and its backends).
                    r.put("dbCpuUsPerMessage", Math.round(ProcStats.serverCpuMillis(db0, db2) * 1000 / measured));
                }
            }
        }
        GeneratorGc.get().put(r);
        if (stages0 != null) {
            ServerStages.put(r, stages0, stages.scrape());
        }
        r.put("sustained", complete && h.getTotalCount() > 0
                && Result.ms(h.getValueAtPercentile(99)) <= p99LimitMs);
        if (!complete) {
            // An overloaded server may still be working off a backlog: let it (up to --backlog-seconds), so that
            // the next step starts clean.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("--backlog-seconds", 120));
            while (receivedInStep.get(step) < expected && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
        }
        return r;
    }
}
