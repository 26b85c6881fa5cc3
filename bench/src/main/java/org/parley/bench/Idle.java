package org.parley.bench;

import java.util.List;

/**
 * Scenario "idle connections", one process's share: registers {@code --count} accounts (not timed), logs them
 * all in ({@code --in-flight} at a time, timed: the login rate), prints one result line and "READY" on stderr,
 * then holds the connections open until the process is killed. bench/run.sh starts several of these (a process
 * may hold at most 20,000 open files here) and measures the server's memory after each.
 *
 * <p>Options: --count 2500 --in-flight 100
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
        double seconds = (System.nanoTime() - start) / 1e9;
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        new Result(o, "idle-login").put("connections", clients.size()).put("inFlight", inFlight)
                .put("loginSeconds", Math.round(seconds * 100) / 100.0)
                .put("loginsPerSecond", Math.round(clients.size() / seconds)).cpu(s0, s1).write(o);
        System.err.println("READY");
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }
}
