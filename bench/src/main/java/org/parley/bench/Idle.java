package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario "idle connections", one process's share: registers {@code --count} accounts (not timed), logs them
 * all in with their passwords ({@code --in-flight} at a time, timed: the login rate), prints one result line and
 * "READY" on stderr, then holds the connections open until the process is killed. bench/run.sh starts several of
 * these (a process may hold at most 20,000 open files here) and measures the server's memory after each.
 *
 * <p>With {@code --resumes true}, before "READY", every connection is closed (no logout), and once the server is
 * idle again each comes back with its session token ({@code --in-flight} at a time, timed: the resume rate, the
 * reconnect path clients take every day; Parley: {@code Resume}, then the client's resync; XMPP: a new password
 * login): a second line, {@code idle-resume}. The connections held are then the resumed ones. With
 * {@code --hold false} the process closes its connections and exits after measuring (bench/ab.sh).
 *
 * <p>Options: --count 2500 --in-flight 100 --resumes false --hold true
 */
final class Idle {

    private final Options o;
    private final Target t;

    Idle(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    int run() throws Exception {
        int count = o.integer("--count", 1000);
        int inFlight = o.integer("--in-flight", 100);
        List<String> users = Accounts.names(o.prefix, "i", count);
        Accounts.register(t, users, 32);
        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        long start = System.nanoTime();
        List<Target.Client> clients = Accounts.login(t, users, inFlight, i -> x -> {
        });
        long end = System.nanoTime();
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        rate("idle-login", "loginsPerSecond", clients.size(), inFlight, start, end, s0, s1, java.util.Map.of());
        if (Boolean.parseBoolean(o.get("--resumes", "false"))) {
            clients = resumes(clients, inFlight);
        }
        System.err.println("READY");
        if (!Boolean.parseBoolean(o.get("--hold", "true"))) {
            clients.forEach(Target.Client::close);
            return 0;
        }
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }

    /** Drops every connection, waits for the server to settle, and brings them all back with their tokens. */
    private List<Target.Client> resumes(List<Target.Client> clients, int inFlight) throws Exception {
        clients.forEach(Target.Client::close);
        ProcStats.awaitIdle(o.serverPids, TimeUnit.SECONDS.toNanos(60), 500);
        System.err.println("RESUMING"); // a mark for whoever profiles the server during the resumes only
        java.util.Map<String, Long> before = t.counters();
        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        long start = System.nanoTime();
        List<CompletableFuture<Target.Client>> back = Accounts.reconnect(clients, inFlight,
                c -> Accounts.retry(c::reconnect, 3));
        CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        long end = System.nanoTime();
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        List<Target.Client> resumed = new ArrayList<>();
        for (CompletableFuture<Target.Client> f : back) {
            resumed.add(f.join());
        }
        java.util.Map<String, Long> counted = new java.util.TreeMap<>();
        t.counters().forEach((k, v) -> counted.put(k, v - before.getOrDefault(k, 0L)));
        rate("idle-resume", "resumesPerSecond", resumed.size(), inFlight, start, end, s0, s1, counted);
        return resumed;
    }

    /** One result line: how many logins (or resumes) a second, and the server's CPU time for each. */
    private void rate(String scenario, String key, int n, int inFlight, long start, long end, ProcStats.Sample s0,
            ProcStats.Sample s1, java.util.Map<String, Long> counters) throws java.io.IOException {
        double seconds = (end - start) / 1e9;
        Result r = new Result(o, scenario).put("connections", n).put("inFlight", inFlight)
                .put("loginSeconds", Math.round(seconds * 100) / 100.0).put(key, Math.round(n / seconds));
        if (!o.serverPids.isEmpty() && n > 0) {
            r.put("serverCpuUsPerLogin", Math.round(ProcStats.serverCpuMillis(s0, s1) * 1000 / n));
        }
        counters.forEach(r::put); // Parley with TLS: how many of these handshakes were resumed
        if (!o.serverPids.isEmpty()) {
            // The server's resident memory with this process's connections logged in (bench/ab.sh's idle pairs
            // compare it; bench/run.sh measures it apart, after each process, with a collection).
            r.put("serverRssKiB", ProcStats.rssKiB(o.serverPids.get(0)));
        }
        r.cpu(s0, s1).write(o);
    }

}
