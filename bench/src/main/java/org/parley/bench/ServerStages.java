package org.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parley's own account of where a message's time went (the server's setting {@code metrics-message-stages}): the
 * {@code parley.message.stage} timers and the storage's per-batch write and sync timers, read from the server's
 * {@code /metrics} ({@code --server-metrics URL}) when a step's measurement starts and after its deliveries are in.
 * The difference of the two scrapes' histogram buckets gives each stage's count and percentiles for the step's
 * messages, recorded next to the end-to-end figures: {@code srvDecodedPushedP99Ms} is the server's share of the
 * 1:1 latency (decoded → the push written to the receiver's socket), and so on for every stage. A percentile is
 * the upper bound of the histogram bucket it falls in (Micrometer's buckets are up to a third apart).
 */
final class ServerStages {

    /** Stage tags as the server names them (MessageStages.Stage), then the storage's per-batch timers. */
    static final List<String> STAGES = List.of("decoded-handled", "decoded-queued", "queued-batched",
            "batched-durable", "decoded-durable", "sent-written", "decoded-sent", "push-written", "decoded-pushed");
    private static final String STAGE_BUCKET = "parley_message_stage_seconds_bucket{";
    private static final Map<String, String> BATCH_TIMERS = Map.of("parley_storage_message_writes_seconds_bucket{",
            "batch-commit", "parley_storage_syncs_seconds_bucket{", "batch-sync");

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerStages(URI uri) {
        this.uri = uri;
    }

    /** Null unless {@code --server-metrics} names the server's metrics URL. */
    static ServerStages of(Options o) {
        String url = o.get("--server-metrics", null);
        return url == null || url.isBlank() ? null : new ServerStages(URI.create(url));
    }

    /** Cumulative bucket counts per series: stage → (upper bound in seconds → count). Empty when unreachable. */
    Map<String, TreeMap<Double, Double>> scrape() {
        Map<String, TreeMap<Double, Double>> out = new HashMap<>();
        String body;
        try {
            body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            System.err.println("server metrics not read: " + e);
            return out;
        }
        for (String line : body.lines().toList()) {
            String series = null;
            if (line.startsWith(STAGE_BUCKET)) {
                series = label(line, "stage");
            } else {
                for (var t : BATCH_TIMERS.entrySet()) {
                    if (line.startsWith(t.getKey())) {
                        series = t.getValue();
                    }
                }
            }
            String le = series == null ? null : label(line, "le");
            if (le == null) {
                continue;
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            out.computeIfAbsent(series, s -> new TreeMap<>()).merge(bound, count, Double::sum);
        }
        return out;
    }

    private static String label(String line, String name) {
        int i = line.indexOf(name + "=\"");
        if (i < 0) {
            return null;
        }
        int from = i + name.length() + 2;
        return line.substring(from, line.indexOf('"', from));
    }

    /** Adds each stage's count and p50 / p99 / p99.9 (ms) between the two scrapes to {@code r}. */
    static void put(Result r, Map<String, TreeMap<Double, Double>> from, Map<String, TreeMap<Double, Double>> to) {
        for (var e : to.entrySet()) {
            TreeMap<Double, Double> before = from.getOrDefault(e.getKey(), new TreeMap<>());
            TreeMap<Double, Double> delta = new TreeMap<>();
            e.getValue().forEach((le, n) -> delta.put(le, n - before.getOrDefault(le, 0.0)));
            double total = delta.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
            String key = "srv" + camel(e.getKey());
            r.put(key + "Count", Math.round(total));
            if (total > 0) {
                r.put(key + "P50Ms", percentile(delta, total, 0.5));
                r.put(key + "P99Ms", percentile(delta, total, 0.99));
                r.put(key + "P999Ms", percentile(delta, total, 0.999));
            }
        }
    }

    private static double percentile(TreeMap<Double, Double> cumulative, double total, double p) {
        double want = Math.ceil(total * p);
        for (var b : cumulative.entrySet()) {
            if (b.getValue() >= want) {
                return b.getKey().isInfinite() ? Double.NaN : Math.round(b.getKey() * 1e5) / 100.0;
            }
        }
        return Double.NaN;
    }

    /** "decoded-pushed" → "DecodedPushed" (result keys are word characters). */
    static String camel(String tag) {
        StringBuilder b = new StringBuilder();
        for (String part : tag.split("-")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }
}
