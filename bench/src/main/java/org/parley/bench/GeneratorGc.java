package org.parley.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The load generator's own garbage-collection pauses, so that a result shows whether the generator paused during
 * a step (a paused generator delays every message it should have sent or read then, and the latency is charged to
 * the server). Collects the JVM's GC notifications of the collectors that stop the application (ZGC's "Pauses"
 * beans, G1's and Serial's collectors; not ZGC's concurrent "Cycles"); {@link #put} adds the count, total and
 * longest pause since the last {@link #reset} to a result, with the collector's name.
 */
final class GeneratorGc {

    private static final GeneratorGc INSTANCE = new GeneratorGc();

    private final String collectors;
    private long pauses;
    private double totalMs;
    private double maxMs;

    private GeneratorGc() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
            if (gc.getName().contains("Cycles") || !(gc instanceof NotificationEmitter emitter)) {
                continue; // ZGC's cycles run concurrently: their duration is not a pause
            }
            emitter.addNotificationListener((n, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    paused(info.getGcInfo().getDuration());
                }
            }, null, null);
        }
        collectors = String.join("+", names);
    }

    static GeneratorGc get() {
        return INSTANCE;
    }

    private synchronized void paused(double ms) {
        pauses++;
        totalMs += ms;
        maxMs = Math.max(maxMs, ms);
    }

    synchronized void reset() {
        pauses = 0;
        totalMs = 0;
        maxMs = 0;
    }

    /** Adds genGcPauses, genGcPauseTotalMs, genGcPauseMaxMs (ms resolution) and genGc (the collectors). */
    synchronized Result put(Result r) {
        return r.put("genGcPauses", pauses).put("genGcPauseTotalMs", totalMs).put("genGcPauseMaxMs", maxMs)
                .put("genGc", collectors);
    }
}
