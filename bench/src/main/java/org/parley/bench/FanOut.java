package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Scenario "group fan-out": for each size in {@code --sizes}, a group of that many members, all online (Parley: a
 * group conversation; XMPP: a multi-user chat room they have all entered). Up to ten members send, round robin;
 * each message reaches every other member. The offered delivery rate steps through {@code --deliveries}
 * (deliveries/s; message rate = deliveries / (members − 1)) until latency breaks (a failed step is run once more;
 * two failures in a row end the series); each step is one result line, after one unmeasured warm-up step.
 *
 * <p>Options: --sizes 10,100,1000 --deliveries 10000,25000,50000,100000,200000,500000 --seconds 10 --warmup 3
 * --p99-limit-ms 200
 */
final class FanOut {

    private final Options o;
    private final Target t;
    private final Load load;

    FanOut(Options o, Target t) {
        this.o = o;
        this.t = t;
        this.load = new Load(o);
    }

    int run() throws Exception {
        int[] sizes = o.integers("--sizes", "10,100");
        int[] deliveries = o.integers("--deliveries", "2000,10000");
        int seconds = o.integer("--seconds", 10);
        int warmup = o.integer("--warmup", 3);
        double p99Limit = o.integer("--p99-limit-ms", 200);
        int step = 0;
        for (int size : sizes) {
            List<String> names = Accounts.names(o.prefix, "g" + size + "m", size);
            long t0 = System.nanoTime();
            Accounts.register(t, names, 32);
            List<Target.Client> members = Accounts.login(t, names, 64, i -> load::received);
            String group = o.prefix + "group" + size;
            List<Target.Chat> senders = new ArrayList<>();
            senders.add(members.get(0).createGroup(group, names.subList(1, size)).get(5, TimeUnit.MINUTES));
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<Target.Chat>> joins = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                inFlight.acquire();
                joins.add(members.get(i).joinGroup(group).whenComplete((x, e) -> inFlight.release()));
            }
            for (int i = 0; i < joins.size(); i++) {
                Target.Chat c = joins.get(i).get(5, TimeUnit.MINUTES);
                if (senders.size() < 10) {
                    senders.add(c);
                }
            }
            System.err.printf("%s: group of %d ready in %.1f s%n", t.name(), size, (System.nanoTime() - t0) / 1e9);
            Thread.sleep(2000); // let join-time presence traffic settle
            // Unmeasured warm-up at the first rate (JIT, caches, the members' first deliveries).
            load.step("fanout", senders, size - 1, ++step, deliveries[0] / (double) (size - 1), seconds, warmup,
                    p99Limit);
            for (int d : deliveries) {
                double rate = d / (double) (size - 1);
                Result r = load.step("fanout", senders, size - 1, ++step, rate, seconds, warmup, p99Limit)
                        .put("members", size).put("offeredDeliveries", d).put("kind", "step");
                r.write(o);
                if (!Boolean.TRUE.equals(r.get("sustained")) && step < Load.MAX_STEPS - 1) {
                    r = load.step("fanout", senders, size - 1, ++step, rate, seconds, warmup, p99Limit)
                            .put("members", size).put("offeredDeliveries", d).put("kind", "retry");
                    r.write(o);
                }
                if (!Boolean.TRUE.equals(r.get("sustained")) || step >= Load.MAX_STEPS - 3) {
                    break;
                }
            }
            members.forEach(Target.Client::close);
            Thread.sleep(2000);
        }
        return 0;
    }
}
