package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU and memory from /proc: the server's processes (given pids and their descendants, e.g. PostgreSQL's
 * backends), this generator process, and each CPU of the machine as a whole, so that it shows when the generator
 * (or a neighbour on the shared machine) is the bottleneck.
 */
final class ProcStats {

    private static final double HZ = 100.0; // USER_HZ on Linux

    record Sample(long nanos, long serverTicks, long selfTicks, long[] cpuBusy, long[] cpuTotal) {
    }

    private ProcStats() {
    }

    static Sample sample(List<Long> serverPids) {
        Set<Long> pids = withDescendants(serverPids);
        long server = 0;
        for (long pid : pids) {
            server += ticks(Path.of("/proc/" + pid + "/stat"));
        }
        long self = ticks(Path.of("/proc/self/stat"));
        long[] busy = new long[2];
        long[] total = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                for (int c = 0; c < 2; c++) {
                    if (line.startsWith("cpu" + c + " ")) {
                        String[] f = line.trim().split("\\s+");
                        long sum = 0;
                        for (int i = 1; i < f.length; i++) {
                            sum += Long.parseLong(f[i]);
                        }
                        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                        busy[c] = sum - idle;
                        total[c] = sum;
                    }
                }
            }
        } catch (IOException e) {
            // not Linux: no per-CPU figures
        }
        return new Sample(System.nanoTime(), server, self, busy, total);
    }

    /**
     * Waits until the server's processes used under 10 % of a core for two samples in a row, {@code pollMillis}
     * apart, after a first second (so at least one second and two polls), or until {@code maxNanos} passed; returns
     * at once after the first second when no server pids are known.
     */
    static void awaitIdle(List<Long> serverPids, long maxNanos, long pollMillis) throws InterruptedException {
        long until = System.nanoTime() + maxNanos;
        Thread.sleep(1000);
        int quiet = 0;
        Sample a = sample(serverPids);
        while (quiet < 2 && System.nanoTime() < until) {
            Thread.sleep(pollMillis);
            Sample b = sample(serverPids);
            Object pct = usage(a, b).get("serverCpuPct");
            quiet = serverPids.isEmpty() || (pct instanceof Double d && d < 10) ? quiet + 1 : 0;
            a = b;
        }
    }

    /** Percentages of one core: server processes, generator, and each CPU's busy share (anyone's). */
    static Map<String, Object> usage(Sample a, Sample b) {
        Map<String, Object> m = new LinkedHashMap<>();
        double seconds = (b.nanos - a.nanos) / 1e9;
        m.put("serverCpuPct", pct((b.serverTicks - a.serverTicks) / HZ / seconds));
        m.put("generatorCpuPct", pct((b.selfTicks - a.selfTicks) / HZ / seconds));
        for (int c = 0; c < 2; c++) {
            long total = b.cpuTotal[c] - a.cpuTotal[c];
            m.put("cpu" + c + "BusyPct", total <= 0 ? null : pct((double) (b.cpuBusy[c] - a.cpuBusy[c]) / total));
        }
        return m;
    }

    /** The server processes' CPU time between two samples, in milliseconds (user + system, all threads). */
    static double serverCpuMillis(Sample a, Sample b) {
        return (b.serverTicks - a.serverTicks) * 1000 / HZ;
    }

    private static double pct(double fraction) {
        return Math.round(fraction * 1000) / 10.0;
    }

    /** Resident memory of one process, in KiB (VmRSS), or -1. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /**
     * Bytes one process has passed to write calls so far (wchar in /proc/PID/io: files and sockets, whether or not
     * they reached the device yet), or -1. During an upload, nearly all of a server's are its database file's.
     */
    static long writtenBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not readable
        }
        return -1;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Set<Long> withDescendants(List<Long> roots) {
        Set<Long> result = new HashSet<>(roots);
        if (roots.isEmpty()) {
            return result;
        }
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String s = Files.readString(p.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>())
                            .add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            return result;
        }
        List<Long> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            long pid = todo.remove(todo.size() - 1);
            for (long child : children.getOrDefault(pid, List.of())) {
                if (result.add(child)) {
                    todo.add(child);
                }
            }
        }
        return result;
    }
}
