package org.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** One line of results (JSON, appended to the output file and printed). */
final class Result {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    Result(Options o, String scenario) {
        put("time", Instant.now().toString());
        put("target", o.target);
        put("variant", o.variant);
        put("scenario", scenario);
        put("loadavg1", ProcStats.loadAverage());
    }

    Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Result latency(Histogram h) {
        put("count", h.getTotalCount());
        put("p50Ms", ms(h.getValueAtPercentile(50)));
        put("p99Ms", ms(h.getValueAtPercentile(99)));
        put("p999Ms", ms(h.getValueAtPercentile(99.9)));
        put("maxMs", ms(h.getMaxValue()));
        return this;
    }

    Result cpu(ProcStats.Sample from, ProcStats.Sample to) {
        fields.putAll(ProcStats.usage(from, to));
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    String json() {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":");
            if (v == null) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v.toString());
            } else {
                b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return b.append('}').toString();
    }

    void write(Options o) throws IOException {
        String line = json();
        System.out.println(line);
        if (o.out != null) {
            Files.writeString(Path.of(o.out), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
