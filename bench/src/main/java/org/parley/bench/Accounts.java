package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Creates accounts and logs clients in, a bounded number at a time (servers hash passwords on both). */
final class Accounts {

    static final String PASSWORD = "bench-password";

    private Accounts() {
    }

    static void register(Target t, List<String> users, int inFlight) throws Exception {
        Semaphore s = new Semaphore(inFlight);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String u : users) {
            s.acquire();
            all.add(retry(() -> t.register(u, PASSWORD), 3).whenComplete((x, e) -> s.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    }

    static List<Target.Client> login(Target t, List<String> users, int inFlight,
            IntFunction<Consumer<String>> listenerFor) throws Exception {
        Semaphore s = new Semaphore(inFlight);
        List<CompletableFuture<Target.Client>> all = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            s.acquire();
            String user = users.get(i);
            Consumer<String> listener = listenerFor.apply(i);
            all.add(retry(() -> t.login(user, PASSWORD, listener), 3).whenComplete((x, e) -> s.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        List<Target.Client> clients = new ArrayList<>();
        for (CompletableFuture<Target.Client> f : all) {
            clients.add(f.join());
        }
        return clients;
    }

    /**
     * Brings {@code clients} back, {@code inFlight} attempts at a time, each through {@code reconnect}; returns as
     * soon as the last attempt has started, each attempt's outcome in the order of {@code clients}.
     */
    static List<CompletableFuture<Target.Client>> reconnect(List<Target.Client> clients, int inFlight,
            Function<Target.Client, CompletableFuture<Target.Client>> reconnect) throws InterruptedException {
        Semaphore s = new Semaphore(inFlight);
        List<CompletableFuture<Target.Client>> back = new ArrayList<>();
        for (Target.Client c : clients) {
            s.acquire();
            back.add(reconnect.apply(c).whenComplete((x, e) -> s.release()));
        }
        return back;
    }

    /** Set-up is not what is measured: a connection an overloaded server drops is simply tried again. */
    static <T> CompletableFuture<T> retry(java.util.function.Supplier<CompletableFuture<T>> attempt, int attempts) {
        return attempt.get().handle((x, e) -> e == null || attempts <= 1
                ? (e == null ? CompletableFuture.completedFuture(x) : CompletableFuture.<T>failedFuture(e))
                : CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                        .thenCompose(y -> retry(attempt, attempts - 1))).thenCompose(f -> f);
    }

    static List<String> names(String prefix, String role, int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(prefix + role + i);
        }
        return names;
    }
}
