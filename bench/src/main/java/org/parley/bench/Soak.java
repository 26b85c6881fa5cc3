package org.parley.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario "soak": {@code --seconds} of mixed load, the same for every server: 1:1 messages over {@code --pairs}
 * pairs at {@code --rate} msg/s (a fraction of the sustained rate), one group of {@code --group-size} members
 * with {@code --group-rate} msg/s, a history fetch of the latest 100 every {@code --history-ms}, one of
 * {@code --idle} idle connections dropped and reconnected every {@code --reconnect-ms}. Reported: delivery latency
 * and losses over the whole run, the server's RSS every {@code --sample-seconds} ("soak-sample" lines) and its
 * least-squares slope after the first fifth (KiB per minute: flat memory is a slope near 0), and, when
 * {@code --gc-log} names the JVM's {@code -Xlog:safepoint} file (Parley), the GC pauses during the run.
 */
final class Soak {

    private final Options o;
    private final Target t;
    private final Recorder latency = new Recorder(3);
    private final Recorder history = new Recorder(3);
    private final AtomicLong delivered = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;

    Soak(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    private void received(String text) {
        long now = System.nanoTime();
        int end = text.indexOf(';');
        if (!text.startsWith("t=") || end < 0 || !text.endsWith(";soak")) {
            return;
        }
        long intended = Long.parseLong(text, 2, end, 10);
        delivered.incrementAndGet();
        if (intended >= measureFrom) {
            latency.recordValue(Math.max(0, now - intended));
        }
    }

    int run() throws Exception {
        int seconds = o.integer("--seconds", 90);
        int pairs = o.integer("--pairs", 10);
        double rate = o.integer("--rate", 100);
        int groupSize = o.integer("--group-size", 20);
        double groupRate = o.integer("--group-rate", 5);
        int idle = o.integer("--idle", 200);
        int historyMs = o.integer("--history-ms", 1000);
        int reconnectMs = o.integer("--reconnect-ms", 2000);
        int sampleSeconds = o.integer("--sample-seconds", 5);
        String gcLog = o.get("--gc-log", null);

        List<String> senders = Accounts.names(o.prefix, "ss", pairs);
        List<String> receivers = Accounts.names(o.prefix, "sr", pairs);
        List<String> group = Accounts.names(o.prefix, "sg", groupSize);
        List<String> idlers = Accounts.names(o.prefix, "si", idle);
        List<String> all = new ArrayList<>(senders);
        all.addAll(receivers);
        all.addAll(group);
        all.addAll(idlers);
        Accounts.register(t, all, 32);
        List<Target.Client> out = Accounts.login(t, senders, 32, i -> x -> {
        });
        List<Target.Client> in = Accounts.login(t, receivers, 32, i -> this::received);
        List<Target.Client> members = Accounts.login(t, group, 32, i -> this::received);
        List<Target.Client> idleClients = new ArrayList<>(Accounts.login(t, idlers, 64, i -> x -> {
        }));
        List<Target.Chat> chats = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            chats.add(out.get(i).direct(receivers.get(i)).get(1, TimeUnit.MINUTES));
        }
        String groupName = o.prefix + "soakgroup";
        Target.Chat groupChat = members.get(0).createGroup(groupName, group.subList(1, groupSize))
                .get(5, TimeUnit.MINUTES);
        for (int i = 1; i < groupSize; i++) {
            members.get(i).joinGroup(groupName).get(5, TimeUnit.MINUTES);
        }
        Thread.sleep(2000);
        System.err.printf("%s: soak for %d s: %d pairs at %.0f msg/s, a group of %d at %.0f msg/s, %d idle%n",
                t.name(), seconds, pairs, rate, groupSize, groupRate, idle);

        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        AtomicLong reconnects = new AtomicLong();
        AtomicLong reconnectFailures = new AtomicLong();
        AtomicLong historyFailures = new AtomicLong();
        long gcLogFrom = gcLog == null ? 0 : Files.size(Path.of(gcLog));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        measureFrom = start + TimeUnit.SECONDS.toNanos(Math.min(5, seconds / 5));
        List<long[]> samples = new ArrayList<>(); // {nanos since start, RSS KiB}
        long serverPid = o.serverPids.isEmpty() ? -1 : o.serverPids.get(0);
        background.scheduleAtFixedRate(() -> {
            long ns = System.nanoTime();
            Target.Chat c = chats.get(0);
            c.latest(100).whenComplete((n, e) -> {
                if (e != null) {
                    historyFailures.incrementAndGet();
                } else if (ns >= measureFrom) {
                    history.recordValue(System.nanoTime() - ns);
                }
            });
        }, historyMs, historyMs, TimeUnit.MILLISECONDS);
        AtomicLong next = new AtomicLong();
        background.scheduleWithFixedDelay(() -> {
            if (idleClients.isEmpty()) {
                return;
            }
            int i = (int) (next.getAndIncrement() % idleClients.size());
            Target.Client c = idleClients.get(i);
            c.close();
            try {
                idleClients.set(i, Accounts.retry(c::reconnect, 5).get(1, TimeUnit.MINUTES));
                reconnects.incrementAndGet();
            } catch (Exception e) {
                reconnectFailures.incrementAndGet();
            }
        }, reconnectMs, reconnectMs, TimeUnit.MILLISECONDS);
        background.scheduleAtFixedRate(() -> {
            if (serverPid > 0) {
                long[] s = {System.nanoTime() - start, ProcStats.rssKiB(serverPid)};
                synchronized (samples) {
                    samples.add(s);
                }
                try {
                    new Result(o, "soak-sample").put("second", Math.round(s[0] / 1e9)).put("rssKiB", s[1])
                            .put("delivered", delivered.get()).write(o);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, 0, sampleSeconds, TimeUnit.SECONDS);

        // One pacing thread: the next message is whichever of the two streams is due first.
        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        long oneInterval = (long) (1e9 / rate);
        long groupInterval = (long) (1e9 / groupRate);
        long sentOne = 0;
        long sentGroup = 0;
        while (true) {
            long nextOne = start + sentOne * oneInterval;
            long nextGroup = start + sentGroup * groupInterval;
            long intended = Math.min(nextOne, nextGroup);
            if (intended >= end) {
                break;
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (nextOne <= nextGroup) {
                chats.get((int) (sentOne % pairs)).send("t=" + intended + ";s=0;soak");
                sentOne++;
            } else {
                groupChat.send("t=" + intended + ";s=0;soak");
                sentGroup++;
            }
        }
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        background.shutdown();
        background.awaitTermination(2, TimeUnit.MINUTES);
        long expected = sentOne + sentGroup * (groupSize - 1);
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.get() < expected && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
        }
        Thread.sleep(1000); // late duplicates would show here
        Histogram h = latency.getIntervalHistogram();
        Histogram hh = history.getIntervalHistogram();
        Result r = new Result(o, "soak").put("seconds", seconds).put("pairs", pairs).put("rate", rate)
                .put("groupSize", groupSize).put("groupRate", groupRate).put("idle", idle)
                .put("sent", sentOne + sentGroup).put("expected", expected).put("delivered", delivered.get())
                .latency(h).put("historyP99Ms", Result.ms(hh.getValueAtPercentile(99)))
                .put("historyFetches", hh.getTotalCount()).put("historyFailures", historyFailures.get())
                .put("reconnects", reconnects.get()).put("reconnectFailures", reconnectFailures.get());
        synchronized (samples) {
            rss(r, samples);
        }
        if (gcLog != null) {
            gcPauses(r, Path.of(gcLog), gcLogFrom);
        }
        r.cpu(s0, s1).write(o);
        out.forEach(Target.Client::close);
        in.forEach(Target.Client::close);
        members.forEach(Target.Client::close);
        idleClients.forEach(Target.Client::close);
        return delivered.get() == expected ? 0 : 3;
    }

    /** RSS first, last, max, and the least-squares slope (KiB/min) over the samples after the first fifth. */
    static void rss(Result r, List<long[]> samples) {
        if (samples.isEmpty()) {
            return;
        }
        List<long[]> tail = samples.subList(samples.size() / 5, samples.size());
        double n = tail.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (long[] s : tail) {
            double x = s[0] / 60e9;
            sx += x;
            sy += s[1];
            sxx += x * x;
            sxy += x * s[1];
        }
        double slope = n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx);
        r.put("rssFirstKiB", samples.get(0)[1]).put("rssLastKiB", samples.get(samples.size() - 1)[1])
                .put("rssMaxKiB", samples.stream().mapToLong(s -> s[1]).max().orElse(0))
                .put("rssSlopeKiBPerMin", Math.round(slope * 10) / 10.0).put("rssSamples", samples.size());
    }

    private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"([^\"]+)\".* Total: (\\d+) ns");

    /**
     * The GC pauses in the JVM's {@code -Xlog:safepoint} output written since {@code from}: every safepoint a
     * collector asked for (Serial, G1, Parallel, ZGC operations), its total time including reaching it.
     */
    static void gcPauses(Result r, Path log, long from) throws IOException {
        Histogram gc = new Histogram(3);
        Histogram any = new Histogram(3);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            byte[] rest = new byte[(int) (f.length() - from)];
            f.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = SAFEPOINT.matcher(line);
                if (m.find()) {
                    long ns = Long.parseLong(m.group(2));
                    any.recordValue(ns);
                    String op = m.group(1);
                    if (op.contains("GC") || op.contains("Collect") || op.startsWith("G1") || op.startsWith("Z")
                            || op.startsWith("Shenandoah")) {
                        gc.recordValue(ns);
                    }
                }
            }
        }
        r.put("gcPauses", gc.getTotalCount()).put("gcPauseP50Ms", Result.ms(gc.getValueAtPercentile(50)))
                .put("gcPauseP99Ms", Result.ms(gc.getValueAtPercentile(99)))
                .put("gcPauseMaxMs", Result.ms(gc.getMaxValue()))
                .put("gcPauseTotalMs", Math.round(gc.getMean() * gc.getTotalCount() / 1e5) / 10.0)
                .put("safepointP99Ms", Result.ms(any.getValueAtPercentile(99)));
    }
}
