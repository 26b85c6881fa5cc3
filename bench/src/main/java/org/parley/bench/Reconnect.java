package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario "reconnect storm": {@code --clients} users are online; all their connections drop at once; while they
 * are away one sender writes one message to each of them (1:1); then they all come back at once
 * ({@code --in-flight} connection attempts at a time) and each must get the message it missed, exactly once.
 * Reported: the time from the start of the reconnect until every client has its message, how many logged in
 * again, and how many messages were lost or doubled.
 *
 * <p>Options: --clients 10000 --in-flight 500 --timeout-seconds 120
 */
final class Reconnect {

    private final Options o;
    private final Target t;

    Reconnect(Options o, Target t) {
        this.o = o;
        this.t = t;
    }

    /** Like a real client: a failed attempt (refused, reset, timed out) is tried again after a short pause. */
    private static CompletableFuture<Target.Client> reconnect(Target.Client c, int attempts, AtomicLong retries) {
        return c.reconnect().handle((x, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(x);
            }
            if (attempts <= 1) {
                return CompletableFuture.<Target.Client>failedFuture(e);
            }
            retries.incrementAndGet();
            long pause = 100 + java.util.concurrent.ThreadLocalRandom.current().nextLong(400);
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                    .thenCompose(y -> reconnect(c, attempts - 1, retries));
        }).thenCompose(f -> f);
    }

    int run() throws Exception {
        int n = o.integer("--clients", 1000);
        int inFlight = o.integer("--in-flight", 500);
        int timeout = o.integer("--timeout-seconds", 120);
        String sender = o.prefix + "rs";
        List<String> names = Accounts.names(o.prefix, "r", n);
        List<String> all = new ArrayList<>(names);
        all.add(sender);
        Accounts.register(t, all, 32);
        AtomicIntegerArray got = new AtomicIntegerArray(n);
        AtomicLong caughtUp = new AtomicLong();
        AtomicLong lastCatchUp = new AtomicLong();
        List<Target.Client> clients = Accounts.login(t, names, 200, i -> text -> {
            if (text.contains(";missed")) {
                if (got.incrementAndGet(i) == 1) {
                    caughtUp.incrementAndGet();
                    lastCatchUp.set(System.nanoTime());
                }
            }
        });
        Target.Client s = Accounts.login(t, List.of(sender), 1, i -> x -> {
        }).get(0);
        List<Target.Chat> chats = new ArrayList<>();
        for (String name : names) {
            chats.add(s.direct(name).get(30, TimeUnit.SECONDS));
        }
        System.err.printf("%s: %d clients online%n", t.name(), n);

        clients.forEach(Target.Client::close);
        Thread.sleep(3000);
        for (int i = 0; i < n; i++) {
            chats.get(i).send("t=0;s=0;missed " + i);
        }
        // XMPP has no acknowledgement to wait for: wait until the server has stored what was sent, i.e. until its
        // processes fall idle, so that the storm measures catching up and not the storing of the messages.
        long storing = System.nanoTime();
        ProcStats.awaitIdle(o.serverPids, TimeUnit.SECONDS.toNanos(300), 1000);
        double storeSeconds = (System.nanoTime() - storing) / 1e9;

        ProcStats.Sample s0 = ProcStats.sample(o.serverPids);
        long start = System.nanoTime();
        AtomicLong retries = new AtomicLong();
        List<CompletableFuture<Target.Client>> back = Accounts.reconnect(clients, inFlight,
                c -> reconnect(c, 10, retries));
        long deadline = start + TimeUnit.SECONDS.toNanos(timeout);
        while (caughtUp.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = ((caughtUp.get() < n ? System.nanoTime() : lastCatchUp.get()) - start) / 1e9;
        ProcStats.Sample s1 = ProcStats.sample(o.serverPids);
        Thread.sleep(3000); // a late duplicate would show up here
        int loggedIn = 0;
        for (CompletableFuture<Target.Client> f : back) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                loggedIn++;
            }
        }
        int lost = 0;
        int doubled = 0;
        for (int i = 0; i < n; i++) {
            lost += got.get(i) == 0 ? 1 : 0;
            doubled += got.get(i) > 1 ? 1 : 0;
        }
        new Result(o, "reconnect").put("clients", n).put("inFlight", inFlight).put("loggedInAgain", loggedIn)
                .put("retries", retries.get())
                .put("secondsToStoreMissed", Math.round(storeSeconds * 10) / 10.0)
                .put("caughtUp", caughtUp.get()).put("lost", lost).put("doubled", doubled)
                .put("secondsUntilAllCaughtUp", Math.round(seconds * 100) / 100.0).cpu(s0, s1).write(o);
        for (CompletableFuture<Target.Client> f : back) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.join().close();
            }
        }
        s.close();
        return lost == 0 && doubled == 0 ? 0 : 3;
    }
}
