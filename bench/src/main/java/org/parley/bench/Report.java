package org.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a run's results.jsonl into results.md (the side-by-side tables, with Parley's ratio to the better of the
 * peers) and, when gnuplot is installed, PNG charts.
 *
 * <pre>java -cp parley-bench.jar org.parley.bench.Report bench/results/RUN</pre>
 */
public final class Report {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");
    private static final List<String> TARGETS = List.of("parley", "ejabberd", "prosody");

    private final List<Map<String, String>> rows = new ArrayList<>();
    private final StringBuilder md = new StringBuilder();
    private final Path dir;

    private Report(Path dir) throws IOException {
        this.dir = dir;
        for (String line : Files.readAllLines(dir.resolve("results.jsonl"))) {
            Map<String, String> m = new LinkedHashMap<>();
            Matcher f = FIELD.matcher(line);
            while (f.find()) {
                m.put(f.group(1), f.group(3) != null ? f.group(3) : f.group(2));
            }
            if (!m.isEmpty()) {
                rows.add(m);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Report r = new Report(Path.of(args[0]));
        r.write();
    }

    private List<Map<String, String>> select(Predicate<Map<String, String>> p) {
        return rows.stream().filter(p).toList();
    }

    private static Predicate<Map<String, String>> is(String key, String value) {
        return m -> value.equals(m.get(key));
    }

    /** Runs without a variant predate variants: archive on. */
    private static Predicate<Map<String, String>> isVariant(String variant) {
        return m -> variant.equals(m.getOrDefault("variant", "mam-on"));
    }

    private static double num(Map<String, String> m, String key) {
        String v = m == null ? null : m.get(key);
        try {
            return v == null || v.equals("null") ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    /** Parley's figure against the better peer's, oriented so that > 1 means Parley is ahead. */
    private static String ratio(double parley, double ejabberd, double prosody, boolean higherIsBetter) {
        double best = higherIsBetter ? max(ejabberd, prosody) : min(ejabberd, prosody);
        if (Double.isNaN(parley) || Double.isNaN(best) || parley == 0 || best == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", higherIsBetter ? parley / best : best / parley);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private void write() throws IOException, InterruptedException {
        Set<String> loads = new LinkedHashSet<>();
        rows.forEach(r -> loads.add(r.get("loadavg1")));
        md.append("# Benchmark results: ").append(dir.getFileName()).append("\n\n");
        md.append("Load average (1 min) while measuring: ").append(String.join(", ", loads.stream()
                .map(s -> fmt(Double.parseDouble(s))).distinct().limit(30).toList()))
                .append(". Server pinned to CPU 0 (with its database), generator to CPU 1.\n\n");
        oneToOne();
        idle();
        logins();
        fanOut();
        history();
        reconnect();
        fileTransfer();
        soak();
        costPerMessage();
        Files.writeString(dir.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
        charts();
        System.err.println("wrote " + dir.resolve("results.md"));
    }

    /**
     * The server's CPU time per message and per delivery in each 1:1 and fan-out step (bench/run.sh ... nodes:
     * one node on H2, one on PostgreSQL, several on PostgreSQL + NATS), with the load average it was taken at.
     */
    private void costPerMessage() {
        List<Map<String, String>> steps = select(m -> m.containsKey("serverCpuUsPerMessage")
                && ("one-to-one".equals(m.get("scenario")) || "fanout".equals(m.get("scenario"))));
        if (steps.isEmpty()) {
            return;
        }
        md.append("## Cost per message\n\n");
        md.append("The server's CPU time (all its processes and their children: the nodes, PostgreSQL and its "
                + "backends, NATS; user + system, from /proc) from the start of a step's measurement window until "
                + "its messages were delivered, divided by the messages sent in the window (and by the deliveries: "
                + "messages × receivers).\n\n");
        md.append("| setup | scenario | step | members | offered/s | messages | delivered | server CPU ms "
                + "| µs/message | µs/delivery | of which PostgreSQL µs/message | p99 ms | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : steps) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("variant"), r.get("scenario"), r.getOrDefault("kind", ""), r.getOrDefault("members", "2"),
                    fmt(num(r, "offered")), fmt(num(r, "measuredMessages")), fmt(num(r, "delivered")),
                    fmt(num(r, "serverCpuMs")), fmt(num(r, "serverCpuUsPerMessage")),
                    fmt(num(r, "serverCpuUsPerDelivery")), fmt(num(r, "dbCpuUsPerMessage")), fmt(num(r, "p99Ms")),
                    fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
    }

    private void oneToOne() {
        List<Map<String, String>> half = select(is("scenario", "one-to-one").and(is("kind", "half-load")));
        if (half.isEmpty()) {
            return;
        }
        md.append("## 1:1 messages\n\n");
        md.append("Max sustained = highest offered rate at which every message arrived with p99 ≤ the limit; "
                + "latency at half that rate (intended send → received).\n\n");
        md.append("| server | archive | max sustained msg/s | half-load msg/s | p50 ms | p99 ms | p99.9 ms | max ms "
                + "| server CPU % | generator CPU % | load |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
        for (Map<String, String> r : half) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("target"),
                    r.get("variant"), fmt(num(r, "maxSustained")), fmt(num(r, "offered")), fmt(num(r, "p50Ms")),
                    fmt(num(r, "p99Ms")), fmt(num(r, "p999Ms")), fmt(num(r, "maxMs")), fmt(num(r, "serverCpuPct")),
                    fmt(num(r, "generatorCpuPct")), fmt(num(r, "loadavg1"))));
            if ("mam-on".equals(r.get("variant"))) {
                byTarget.put(r.get("target"), r);
            }
        }
        Map<String, String> p = byTarget.get("parley");
        Map<String, String> e = byTarget.get("ejabberd");
        Map<String, String> s = byTarget.get("prosody");
        md.append(String.format("%nParley against the better peer (archive on; > 1 = Parley ahead): max sustained "
                + "%s, p99 at half load %s.%n%n", ratio(num(p, "maxSustained"), num(e, "maxSustained"),
                        num(s, "maxSustained"), true),
                ratio(num(p, "p99Ms"), num(e, "p99Ms"), num(s, "p99Ms"), false)));
        md.append("<details><summary>every step</summary>\n\n| server | archive | kind | offered | received/s | sent | "
                + "received | p50 | p99 | p99.9 | max | server CPU % | gen CPU % | CPU0 % | CPU1 % | load | ok |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : select(is("scenario", "one-to-one"))) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("target"), r.get("variant"), r.get("kind"), fmt(num(r, "offered")),
                    fmt(num(r, "deliveriesPerSecond")),
                    fmt(num(r, "sent")), fmt(num(r, "delivered")), fmt(num(r, "p50Ms")), fmt(num(r, "p99Ms")),
                    fmt(num(r, "p999Ms")), fmt(num(r, "maxMs")), fmt(num(r, "serverCpuPct")),
                    fmt(num(r, "generatorCpuPct")), fmt(num(r, "cpu0BusyPct")), fmt(num(r, "cpu1BusyPct")),
                    fmt(num(r, "loadavg1")), "true".equals(r.get("sustained")) ? "yes" : "no"));
        }
        md.append("\n</details>\n\n");
        serverShare(is("scenario", "one-to-one").and(is("target", "parley")));
    }

    /**
     * Parley's own timings of each step (server setting metrics-message-stages, read by the generator's
     * {@code --server-metrics}) next to the end-to-end figures, and the generator's GC pauses: whether the time
     * was the server's, and whether the generator paused.
     */
    private void serverShare(Predicate<Map<String, String>> which) {
        List<Map<String, String>> steps = select(which);
        boolean stages = steps.stream().anyMatch(r -> r.containsKey("srvDecodedPushedCount"));
        boolean gc = steps.stream().anyMatch(r -> r.containsKey("genGcPauses"));
        if (!stages && !gc) {
            return;
        }
        md.append("Parley's share of the latency, per step: end to end (intended send → received by the "
                + "generator) against the server's own timings of the same step's messages (p50 / p99 / p99.9 ms; "
                + "each the upper bound of its histogram bucket): decoded → the push written to the receiver's "
                + "socket, decoded → durable, the batch's commit and fsync (per message), the push's wait in its "
                + "socket queue; and the generator's own GC pauses during the step (count, longest ms).\n\n");
        md.append("| kind | offered | end to end | server: decoded → pushed | decoded → queued | queued → batched "
                + "| batched → durable | push written | batch commit / sync p99 (per batch) | generator GC pauses, "
                + "max ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : steps) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s, %s |%n", r.get("kind"),
                    fmt(num(r, "offered")), triple(r, "p50Ms", "p99Ms", "p999Ms"), stage(r, "DecodedPushed"),
                    stage(r, "DecodedQueued"), stage(r, "QueuedBatched"), stage(r, "BatchedDurable"),
                    stage(r, "PushWritten"), fmt(num(r, "srvBatchCommitP99Ms")), fmt(num(r, "srvBatchSyncP99Ms")),
                    fmt(num(r, "genGcPauses")), fmt(num(r, "genGcPauseMaxMs"))));
        }
        md.append("\n");
    }

    private static String stage(Map<String, String> r, String stage) {
        return triple(r, "srv" + stage + "P50Ms", "srv" + stage + "P99Ms", "srv" + stage + "P999Ms");
    }

    private static String triple(Map<String, String> r, String a, String b, String c) {
        return fmt(num(r, a)) + " / " + fmt(num(r, b)) + " / " + fmt(num(r, c));
    }

    /** Least-squares slope of y against x. */
    private static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    private List<double[]> points(String target, String variant, String y) {
        List<double[]> pts = new ArrayList<>();
        for (Map<String, String> r : select(is("scenario", "idle").and(is("target", target)).and(isVariant(variant)))) {
            double v = num(r, y);
            if (!Double.isNaN(v) && v > 0 && num(r, "connections") > 0) {
                pts.add(new double[] {num(r, "connections"), v});
            }
        }
        return pts;
    }

    private void idle() {
        if (select(is("scenario", "idle")).isEmpty()) {
            return;
        }
        md.append("## Idle connections\n\n");
        md.append("Memory per connection = slope of the server's RSS against N (KiB per connection); "
                + "logins/s = median over the generator processes.\n\n");
        md.append("| server | most connections | RSS at most (MiB) | KiB/conn as is | KiB/conn after GC | "
                + "logins/s |\n|---|---|---|---|---|---|\n");
        Map<String, double[]> fig = new LinkedHashMap<>();
        for (String t : TARGETS) {
            for (String variant : List.of("mam-on", "tls")) { // TLS: Parley's own idle run with TLS on
                List<Map<String, String>> steps = select(is("scenario", "idle").and(is("target", t))
                        .and(isVariant(variant)));
                if (steps.isEmpty()) {
                    continue;
                }
                Map<String, String> last = steps.get(steps.size() - 1);
                double asIs = slope(points(t, variant, "rssKiB"));
                double gc = slope(points(t, variant, "rssAfterGcKiB"));
                List<Double> rates = new ArrayList<>(select(is("scenario", "idle-login").and(is("target", t))
                        .and(isVariant(variant))).stream().map(r -> num(r, "loginsPerSecond")).sorted().toList());
                double login = rates.isEmpty() ? Double.NaN : rates.get(rates.size() / 2);
                if (variant.equals("mam-on")) {
                    fig.put(t, new double[] {min(asIs, gc), login});
                }
                md.append(String.format("| %s | %s | %s | %s | %s | %s |%n", variant.equals("tls") ? t + ", TLS" : t,
                        fmt(num(last, "connections")), fmt(num(last, "rssKiB") / 1024), fmt(asIs), fmt(gc),
                        fmt(login)));
            }
        }
        double[] p = fig.get("parley");
        double[] e = fig.get("ejabberd");
        double[] s = fig.get("prosody");
        if (p != null) {
            md.append(String.format("%nParley against the better peer (> 1 = Parley ahead): memory per connection "
                    + "%s, login rate %s.%n%n", ratio(p[0], e == null ? Double.NaN : e[0], s == null ? Double.NaN : s[0],
                            false), ratio(p[1], e == null ? Double.NaN : e[1], s == null ? Double.NaN : s[1], true)));
        }
    }

    /**
     * Every timed login and resume of the idle scenario, one row per generator process: password logins
     * ({@code idle-login}) and, with {@code --resumes true}, the same connections coming back with their session
     * tokens ({@code idle-resume}), with the server's CPU time per login where its processes were given.
     */
    private void logins() {
        List<Map<String, String>> all = select(is("scenario", "idle-login").or(is("scenario", "idle-resume")));
        if (all.isEmpty()) {
            return;
        }
        md.append("## Logins and resumes\n\nOne row per generator process (`--in-flight` at a time); a resume is a "
                + "session token's `Resume` (XMPP: a new login) after the connection dropped.\n\n"
                + "| server | variant | kind | connections | per second | server CPU µs each | server CPU % | "
                + "generator CPU % | load | server RSS MiB after |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : all) {
            boolean resume = "idle-resume".equals(r.get("scenario"));
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("target"),
                    r.get("variant"), resume ? "resume" : "password", fmt(num(r, "connections")),
                    fmt(num(r, resume ? "resumesPerSecond" : "loginsPerSecond")), fmt(num(r, "serverCpuUsPerLogin")),
                    fmt(num(r, "serverCpuPct")), fmt(num(r, "generatorCpuPct")), fmt(num(r, "loadavg1")),
                    fmt(num(r, "serverRssKiB") / 1024)));
        }
        md.append('\n');
    }

    private void fanOut() {
        List<Map<String, String>> f = select(is("scenario", "fanout"));
        if (f.isEmpty()) {
            return;
        }
        md.append("## Group fan-out\n\n| server | members | kind | offered msg/s | deliveries/s | expected | delivered | p50 ms | "
                + "p99 ms | max ms | server CPU % | generator CPU % | load |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : f) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("target"),
                    fmt(num(r, "members")), r.get("kind"), fmt(num(r, "offered")), fmt(num(r, "deliveriesPerSecond")),
                    fmt(num(r, "expected")), fmt(num(r, "delivered")), fmt(num(r, "p50Ms")), fmt(num(r, "p99Ms")),
                    fmt(num(r, "maxMs")), fmt(num(r, "serverCpuPct")), fmt(num(r, "generatorCpuPct")),
                    fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
        serverShare(is("scenario", "fanout").and(is("target", "parley")));
    }

    private void history() {
        List<Map<String, String>> h = select(is("scenario", "history"));
        if (h.isEmpty()) {
            return;
        }
        md.append("## History: the latest 1,000 messages of a long conversation\n\n| server | messages in the "
                + "conversation | queries | messages per query | p50 ms | p99 ms | max ms | load |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : h) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("target"),
                    fmt(num(r, "conversationSize")), fmt(num(r, "count")), fmt(num(r, "perQuery")),
                    fmt(num(r, "p50Ms")), fmt(num(r, "p99Ms")), fmt(num(r, "maxMs")), fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
    }

    private void reconnect() {
        List<Map<String, String>> h = select(is("scenario", "reconnect"));
        if (h.isEmpty()) {
            return;
        }
        md.append("## Reconnect storm\n\nAll clients drop at once; one message to each while away; all come back "
                + "at once (at most 500 connection attempts in flight; failed attempts retried after 0.1–0.5 s). "
                + "Runs before the harness waited for the server to go idle after the sends have no store column.\n\n"
                + "| server | clients | logged in again | retries | caught up | lost | doubled | seconds until all "
                + "caught up | seconds storing the missed messages first | server CPU % | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : h) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("target"),
                    fmt(num(r, "clients")), fmt(num(r, "loggedInAgain")), fmt(num(r, "retries")),
                    fmt(num(r, "caughtUp")), fmt(num(r, "lost")), fmt(num(r, "doubled")),
                    fmt(num(r, "secondsUntilAllCaughtUp")), fmt(num(r, "secondsToStoreMissed")),
                    fmt(num(r, "serverCpuPct")), fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
    }

    private void fileTransfer() {
        List<Map<String, String>> f = select(is("scenario", "file-transfer"));
        if (f.isEmpty()) {
            return;
        }
        md.append("## File transfer\n\nOne file of random bytes up, then down again (MB = 10^6 bytes); SHA-256 of the "
                + "download checked against the upload's. Baseline: a plain TCP copy of the same file over 127.0.0.1 "
                + "through one process pinned to the server's CPU (file → socket → file, forced; 256 KiB buffers).\n\n"
                + "| server | MiB | upload MB/s | download MB/s | loopback copy MB/s (to / from) | upload / loopback | "
                + "download / loopback | intact | server CPU % up / down | server wrote per byte up | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : f) {
            String variant = r.get("variant");
            md.append(String.format("| %s | %s | %s | %s | %s / %s | %s | %s | %s | %s / %s | %s | %s |%n",
                    r.get("target") + (variant == null || variant.isEmpty() ? "" : " (" + variant + ")"),
                    fmt(num(r, "bytes") / (1 << 20)), fmt(num(r, "uploadMBps")), fmt(num(r, "downloadMBps")),
                    fmt(num(r, "loopbackPutMBps")), fmt(num(r, "loopbackGetMBps")),
                    pct(num(r, "uploadMBps") / num(r, "loopbackPutMBps")),
                    pct(num(r, "downloadMBps") / num(r, "loopbackGetMBps")), r.get("intact"),
                    fmt(num(r, "uploadServerCpuPct")), fmt(num(r, "downloadServerCpuPct")),
                    fmt(num(r, "uploadServerWrittenPerByte")), fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
    }

    private static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : Math.round(fraction * 100) + " %";
    }

    private void soak() {
        List<Map<String, String>> f = select(is("scenario", "soak"));
        if (f.isEmpty()) {
            return;
        }
        md.append("## Soak: mixed load\n\n1:1, a group, history fetches, reconnects and idle connections at once "
                + "(bench/run.sh says the rates). RSS slope: least squares over the samples after the first fifth. GC "
                + "pauses: the JVM's safepoints a collector asked for (Parley only).\n\n"
                + "| server | seconds | delivered / expected | p50 / p99 / max ms | history p99 ms | reconnects (failed) "
                + "| RSS first → last MiB | RSS slope KiB/min | GC pauses | GC pause p99 / max ms | server CPU % | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : f) {
            md.append(String.format("| %s | %s | %s / %s | %s / %s / %s | %s | %s (%s) | %s → %s | %s | %s | %s / %s "
                    + "| %s | %s |%n", r.get("target"), fmt(num(r, "seconds")), fmt(num(r, "delivered")),
                    fmt(num(r, "expected")), fmt(num(r, "p50Ms")), fmt(num(r, "p99Ms")), fmt(num(r, "maxMs")),
                    fmt(num(r, "historyP99Ms")), fmt(num(r, "reconnects")), fmt(num(r, "reconnectFailures")),
                    fmt(num(r, "rssFirstKiB") / 1024), fmt(num(r, "rssLastKiB") / 1024),
                    fmt(num(r, "rssSlopeKiBPerMin")), fmt(num(r, "gcPauses")), fmt(num(r, "gcPauseP99Ms")),
                    fmt(num(r, "gcPauseMaxMs")), fmt(num(r, "serverCpuPct")), fmt(num(r, "loadavg1"))));
        }
        md.append('\n');
    }

    private void charts() throws IOException, InterruptedException {
        StringBuilder gp = new StringBuilder("set terminal pngcairo size 900,540 font ',11'\nset grid\n"
                + "set key left top\n");
        List<String> plots = new ArrayList<>();
        Map<String, StringBuilder> series = new LinkedHashMap<>();
        for (Map<String, String> r : select(is("scenario", "one-to-one").and(is("kind", "step")))) {
            series.computeIfAbsent(r.get("target") + " (" + r.get("variant") + ")", k -> new StringBuilder())
                    .append((long) num(r, "offered")).append(' ').append(num(r, "p99Ms")).append('\n');
        }
        for (var e : series.entrySet()) {
            String name = "p99-" + e.getKey().replaceAll("[^a-z-]+", "") + ".dat";
            Files.writeString(dir.resolve(name), e.getValue(), StandardCharsets.UTF_8);
            plots.add("'" + name + "' smooth unique with linespoints title '" + e.getKey() + "'");
        }
        if (!plots.isEmpty()) {
            gp.append("set output 'one-to-one.png'\nset title '1:1 messages: p99 latency against offered rate'\n"
                    + "set logscale xy\nset xlabel 'offered msg/s'\nset ylabel 'p99 latency (ms)'\nplot ")
                    .append(String.join(", ", plots)).append("\nunset logscale\n");
        }
        plots.clear();
        for (String t : TARGETS) {
            for (String y : List.of("rssKiB", "rssAfterGcKiB")) {
                List<double[]> pts = points(t, "mam-on", y);
                if (pts.isEmpty()) {
                    continue;
                }
                StringBuilder data = new StringBuilder();
                pts.forEach(p -> data.append((long) p[0]).append(' ').append(p[1] / 1024).append('\n'));
                String name = "rss-" + t + "-" + y + ".dat";
                Files.writeString(dir.resolve(name), data, StandardCharsets.UTF_8);
                plots.add("'" + name + "' with linespoints title '" + t + (y.equals("rssKiB") ? "" : " after GC") + "'");
            }
        }
        if (!plots.isEmpty()) {
            gp.append("set output 'idle-rss.png'\nset title 'Idle connections: server RSS'\n"
                    + "set xlabel 'connections'\nset ylabel 'RSS (MiB)'\nplot ").append(String.join(", ", plots))
                    .append('\n');
        }
        plots.clear();
        for (String t : TARGETS) {
            StringBuilder data = new StringBuilder();
            for (Map<String, String> r : select(is("scenario", "soak-sample").and(is("target", t)))) {
                data.append((long) num(r, "second")).append(' ').append(num(r, "rssKiB") / 1024).append('\n');
            }
            if (!data.isEmpty()) {
                String name = "soak-rss-" + t + ".dat";
                Files.writeString(dir.resolve(name), data, StandardCharsets.UTF_8);
                plots.add("'" + name + "' with lines title '" + t + "'");
            }
        }
        if (!plots.isEmpty()) {
            gp.append("set output 'soak-rss.png'\nset title 'Soak: server RSS over time'\n"
                    + "set xlabel 'seconds'\nset ylabel 'RSS (MiB)'\nplot ").append(String.join(", ", plots))
                    .append('\n');
        }
        Files.writeString(dir.resolve("charts.gp"), gp, StandardCharsets.UTF_8);
        try {
            Process p = new ProcessBuilder("gnuplot", "charts.gp").directory(dir.toFile()).inheritIO().start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("no gnuplot: no charts (" + e.getMessage() + ")");
        }
    }
}
