package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;


/**
 * Scenario "1:1 messages": {@code --pairs} sender/receiver pairs; the offered total rate steps through
 * {@code --rates} (msg/s) until latency breaks, then one more run at half the highest sustained rate.
 *
 * <p>Pacing and measurement: {@link Load}. A step is sustained when every message of it arrives and
 * p99 ≤ {@code --p99-limit-ms}.
 *
 * <p>Options: --pairs 100 --rates 1000,2000,4000 --seconds 10 --warmup 3 --p99-limit-ms 200 --half-seconds 20
 * --refine 1 (one more step halfway between the last sustained and the first broken rate; 0 = none)
 */
final class OneToOne {

    private final Options o;
    private final Target t;
    private final Load load;

    OneToOne(Options o, Target t) {
        this.o = o;
        this.t = t;
        this.load = new Load(o);
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
        Consumer<String> listener = load::received;
        List<Target.Client> senders = Accounts.login(t, a, 32, i -> x -> {
        });
        List<Target.Client> receivers = Accounts.login(t, b, 32, i -> listener);
        List<Target.Chat> chats = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            chats.add(senders.get(i).direct(b.get(i)).get(30, TimeUnit.SECONDS));
        }
        System.err.printf("%s: %d pairs ready in %.1f s%n", t.name(), pairs, (System.nanoTime() - t0) / 1e9);

        int step = 0;
        // JIT, caches, connection buffers: one unmeasured minute-scale run before the first step.
        load.step("one-to-one", chats, 1, ++step, rates[0], 2 * seconds, warmup, p99Limit);
        int best = 0;
        int brokenAt = 0;
        List<Integer> plan = new ArrayList<>();
        for (int r : rates) {
            plan.add(r);
        }
        boolean refined = o.integer("--refine", 1) == 0;
        for (int i = 0; i < plan.size() && step < Load.MAX_STEPS - 4; i++) {
            int rate = plan.get(i);
            Result r = load.step("one-to-one", chats, 1, ++step, rate, seconds, warmup, p99Limit)
                    .put("kind", "step").put("pairs", pairs);
            r.write(o);
            if (!Boolean.TRUE.equals(r.get("sustained"))) {
                // On a shared machine one bad step can be a neighbour's build: a rate counts as broken only
                // when it fails twice in a row.
                r = load.step("one-to-one", chats, 1, ++step, rate, seconds, warmup, p99Limit)
                        .put("kind", "retry").put("pairs", pairs);
                r.write(o);
            }
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
        Result h = load.step("one-to-one", chats, 1, ++step, half, halfSeconds, warmup, p99Limit)
                .put("kind", "half-load").put("pairs", pairs);
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
}
