package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
            all.add(t.register(u, PASSWORD).whenComplete((x, e) -> s.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    }

    static List<Target.Client> login(Target t, List<String> users, int inFlight,
            IntFunction<Consumer<String>> listenerFor) throws Exception {
        Semaphore s = new Semaphore(inFlight);
        List<CompletableFuture<Target.Client>> all = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            s.acquire();
            all.add(t.login(users.get(i), PASSWORD, listenerFor.apply(i)).whenComplete((x, e) -> s.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        List<Target.Client> clients = new ArrayList<>();
        for (CompletableFuture<Target.Client> f : all) {
            clients.add(f.join());
        }
        return clients;
    }

    static List<String> names(String prefix, String role, int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(prefix + role + i);
        }
        return names;
    }
}
