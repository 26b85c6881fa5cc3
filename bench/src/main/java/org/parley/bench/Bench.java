package org.parley.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;

/**
 * Scenario "1:1 messages": {@code pairs} sender/receiver pairs; each sender sends {@code rate} messages a second
 * for {@code seconds}. Each message carries its <em>intended</em> send time (start + k × interval), so a sender
 * that falls behind is charged for the delay (no coordinated omission). Latency is measured at the receiver:
 * intended send → delivered to the receiving client's listener, through the server, which acknowledges only
 * durable messages.
 *
 * <pre>java -jar parley-bench.jar --port 7443 --pairs 100 --rate 50 --seconds 10 [--warmup 3] [--out results.json]</pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String host = arg(args, "--host", "127.0.0.1");
        int port = Integer.parseInt(arg(args, "--port", "7443"));
        int pairs = Integer.parseInt(arg(args, "--pairs", "50"));
        int rate = Integer.parseInt(arg(args, "--rate", "20"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "10"));
        String out = arg(args, "--out", null);
        int warmup = Integer.parseInt(arg(args, "--warmup", "3"));
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

        NioSocketConnector connector = ParleyClient.newConnector(1);
        // All clients share two threads for their events: what a process holding thousands of clients needs.
        ScheduledExecutorService clientThreads = Executors.newScheduledThreadPool(2);
        List<ParleyClient> senders = new ArrayList<>();
        List<ParleyClient> receivers = new ArrayList<>();
        Recorder recorder = new Recorder(3);
        AtomicLong received = new AtomicLong();
        long intervalNanos = 1_000_000_000L / rate;

        long[] convIds = new long[pairs];
        Semaphore logins = new Semaphore(16); // registration is Argon2-bound on the server: do not flood it
        List<CompletableFuture<?>> setup = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ParleyClient a = new ParleyClient(ParleyClient.Config.of(host, port).plaintext().backoff(100, 1000),
                    connector, clientThreads);
            ParleyClient b = new ParleyClient(ParleyClient.Config.of(host, port).plaintext().backoff(100, 1000),
                    connector, clientThreads);
            b.addListener(new ClientListener() {
                @Override
                public void message(Chat.ChatMessage m) {
                    String t = m.text();
                    int end = t.indexOf(';');
                    if (t.startsWith("t=") && end > 0) {
                        long intended = Long.parseLong(t, 2, end, 10);
                        recorder.recordValueWithExpectedInterval(Math.max(0, System.nanoTime() - intended),
                                intervalNanos);
                        received.incrementAndGet();
                    }
                }
            });
            senders.add(a);
            receivers.add(b);
            String na = "ba" + run + "x" + i;
            String nb = "bb" + run + "x" + i;
            int index = i;
            logins.acquire();
            setup.add(a.register(na, "bench-password", na).thenCompose(x -> b.register(nb, "bench-password", nb))
                    .thenCompose(x -> a.openDirect(nb)).thenAccept(c -> convIds[index] = c.id())
                    .whenComplete((x, e) -> logins.release()));
        }
        CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);

        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime() + 100_000_000L;
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        recorder.getIntervalHistogram(); // reset
        for (int i = 0; i < pairs; i++) {
            ParleyClient a = senders.get(i);
            long conv = convIds[i];
            long offset = intervalNanos * i / pairs; // spread the senders over the interval
            long[] k = {0};
            tasks.add(clock.scheduleAtFixedRate(() -> {
                long intended = start + offset + k[0]++ * intervalNanos;
                a.send(conv, "t=" + intended + ";bench");
                sent.incrementAndGet();
            }, start + offset - System.nanoTime(), intervalNanos, TimeUnit.NANOSECONDS));
        }
        // Warm-up (JIT, caches): sent and checked like the rest, but left out of the latency histogram.
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup) + 100);
        recorder.getIntervalHistogram();
        long receivedBefore = received.get();
        long measureStart = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        tasks.forEach(t -> t.cancel(false));
        long measuredNanos = System.nanoTime() - measureStart;
        long totalSent = sent.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.get() < totalSent && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Histogram h = recorder.getIntervalHistogram();
        clock.shutdownNow();

        double throughput = (received.get() - receivedBefore) / (measuredNanos / 1e9);
        String result = String.format(Locale.ROOT, "{\"scenario\":\"one-to-one\",\"pairs\":%d,\"ratePerSender\":%d,"
                + "\"offered\":%d,\"seconds\":%d,\"sent\":%d,\"received\":%d,\"throughputPerSecond\":%.0f,"
                + "\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"maxMs\":%.2f}", pairs, rate, pairs * rate, seconds,
                totalSent, received.get(), throughput, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        System.out.println(result);
        if (out != null) {
            Files.writeString(Path.of(out), result + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        senders.forEach(ParleyClient::close);
        receivers.forEach(ParleyClient::close);
        connector.dispose(true);
        clientThreads.shutdownNow();
        System.exit(received.get() == totalSent ? 0 : 3);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
