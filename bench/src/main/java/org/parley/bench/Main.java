package org.parley.bench;

/**
 * The load generator's entry point: one scenario against one running server, results appended as JSON lines.
 *
 * <pre>
 * java -jar parley-bench.jar --target parley|ejabberd|prosody --port P [--domain bench.local]
 *      --scenario one-to-one|idle|fanout|history|search|reconnect|file-transfer|soak [--out results.jsonl] [--server-pids 123,456]
 *      [--variant mam-on] [--ports P1,P2,P3] [scenario options]
 * </pre>
 *
 * {@code --ports} (Parley only): several server nodes; each new client connects to the next, round robin. With
 * {@code --server-pids} naming the server's processes (the nodes, PostgreSQL, NATS), the 1:1 and group steps give
 * the server's CPU time per message and per delivery.
 *
 * bench/run.sh starts the servers and calls this; the scenarios' options are in their classes.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int status;
        try (Target t = o.open()) {
            status = switch (o.scenario) {
                case "one-to-one" -> new OneToOne(o, t).run();
                case "idle" -> new Idle(o, t).run();
                case "fanout" -> new FanOut(o, t).run();
                case "history" -> new History(o, t).run();
                case "search" -> new SearchScenario(o, t).run();
                case "reconnect" -> new Reconnect(o, t).run();
                case "file-transfer" -> new FileTransfer(o, t).run();
                case "soak" -> new Soak(o, t).run();
                default -> throw new IllegalArgumentException("unknown scenario " + o.scenario);
            };
        }
        System.exit(status);
    }
}
