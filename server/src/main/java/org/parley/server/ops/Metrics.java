package org.parley.server.ops;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.parley.protocol.message.Message;
import org.parley.protocol.message.Transfers;
import org.parley.server.common.Handlers;
import org.parley.server.common.MessageStages;
import org.parley.server.common.ParleyException;
import org.parley.server.common.RequestHandler;
import org.parley.server.messages.MessageMetrics;
import org.parley.server.storage.StorageMetrics;
import org.parley.server.wire.WireMetrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Clock;

/**
 * The server's metrics (Micrometer): one object, made by {@code ParleyServer} and handed to the features through
 * their small metrics ports ({@link WireMetrics}, {@link MessageMetrics}, {@link StorageMetrics}) and by wrapping
 * the request handlers ({@link #timeRequests}). Read in Prometheus' text format ({@link #scrape}) and, when asked,
 * as JMX MBeans. With neither registry it records nothing (an empty composite registry).
 */
public final class Metrics implements WireMetrics, MessageMetrics, StorageMetrics, MessageStages, AutoCloseable {

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final PrometheusMeterRegistry prometheus;
    private final JmxMeterRegistry jmx;
    private final JvmGcMetrics gc;
    private final Counter loginsOk;
    private final Counter loginsFailed;
    private final Counter messagesStored;
    private final Counter deliveries;
    private final Timer messageWrites;
    private final Timer syncs;
    private final Counter fileBytesIn;
    private final Counter fileBytesOut;
    /** One timer per {@link MessageStages.Stage}; null while the stages are not timed. */
    private volatile Timer[] stageTimers;

    /**
     * @param prometheus keep a Prometheus registry (for {@link #scrape})
     * @param jmx publish as JMX MBeans in the platform MBean server (domain {@code metrics})
     */
    public Metrics(boolean prometheus, boolean jmx) {
        this.prometheus = prometheus ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        this.jmx = jmx ? new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM) : null;
        if (this.prometheus != null) {
            registry.add(this.prometheus);
        }
        if (this.jmx != null) {
            registry.add(this.jmx);
        }
        loginsOk = Counter.builder("parley.logins").tag("result", "ok")
                .description("Login, Register and Resume answered with a session").register(registry);
        loginsFailed = Counter.builder("parley.logins").tag("result", "failed")
                .description("Login, Register and Resume refused (wrong password, locked, throttled, ...)")
                .register(registry);
        messagesStored = Counter.builder("parley.messages.stored").description("new messages stored")
                .register(registry);
        deliveries = Counter.builder("parley.messages.deliveries")
                .description("messages pushed to members' connections (fan-out)").register(registry);
        messageWrites = Timer.builder("parley.storage.message.writes")
                .description("time to write (commit) one batch of messages, sync excluded")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        syncs = Timer.builder("parley.storage.syncs").description("time to force the database to the device (fsync)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        fileBytesIn = Counter.builder("parley.files.bytes.in").baseUnit("bytes")
                .description("file bytes received in upload chunks").register(registry);
        fileBytesOut = Counter.builder("parley.files.bytes.out").baseUnit("bytes")
                .description("file bytes sent in download chunks").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Turns on the per-message stage timers ({@code parley.message.stage}, tagged by {@link MessageStages.Stage}),
     * before the features ask for {@link #stages()}.
     */
    public void timeMessageStages() {
        Timer[] timers = new Timer[Stage.values().length];
        for (Stage s : Stage.values()) {
            timers[s.ordinal()] = Timer.builder("parley.message.stage")
                    .description("time a new message spent between two steps of the server, per message "
                            + "(setting metrics-message-stages)")
                    .tag("stage", s.tag()).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        }
        stageTimers = timers;
    }

    @Override
    public MessageStages stages() {
        return stageTimers == null ? MessageStages.OFF : this;
    }

    @Override
    public boolean timing() {
        return stageTimers != null;
    }

    @Override
    public void stage(Stage stage, long nanos) {
        Timer[] timers = stageTimers;
        if (timers != null) {
            timers[stage.ordinal()].record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    /** The registry, for gauges of the server's own state. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A gauge read when scraped. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** The metrics in Prometheus' text format ("" without a Prometheus registry). */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /** Wraps every request handler so far in a timer ({@code parley.requests}, by type and outcome). */
    public void timeRequests(Handlers handlers) {
        handlers.decorate(this::timed);
    }

    private <M extends Message> RequestHandler<M> timed(Class<M> type, RequestHandler<M> handler) {
        String name = type.getSimpleName();
        boolean upload = type == Transfers.UploadChunk.class;
        // The timer of the usual outcome, found once (registering looks it up by name and tags: an id and a map
        // look-up per request); registered at the first answer, so that request types never sent show nothing.
        AtomicReference<Timer> ok = new AtomicReference<>();
        return (caller, request) -> {
            long start = System.nanoTime();
            if (upload) {
                fileBytesIn.increment(((Transfers.UploadChunk) request).data().length);
            }
            try {
                return handler.handle(caller, request).whenComplete((reply, error) -> {
                    if (reply instanceof Transfers.FileChunk chunk) {
                        fileBytesOut.increment(chunk.data().length);
                    }
                    record(name, start, error, ok);
                });
            } catch (RuntimeException e) {
                record(name, start, e, ok);
                throw e;
            }
        };
    }

    private void record(String type, long start, Throwable error, AtomicReference<Timer> ok) {
        long nanos = System.nanoTime() - start;
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e == null) {
            Timer t = ok.get();
            if (t == null) {
                t = requestTimer(type, "ok");
                ok.set(t);
            }
            t.record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        String outcome = e instanceof ParleyException p ? p.code().name() : "INTERNAL_ERROR";
        requestTimer(type, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer requestTimer(String type, String outcome) {
        return Timer.builder("parley.requests").description("time from a request's handling to its answer")
                .tags("type", type, "outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void login(boolean ok) {
        (ok ? loginsOk : loginsFailed).increment();
    }

    @Override
    public void fannedOut(int stored, int delivered) {
        messagesStored.increment(stored);
        deliveries.increment(delivered);
    }

    @Override
    public void messagesWritten(long nanos) {
        messageWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void synced(long nanos) {
        syncs.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gc.close();
        if (jmx != null) {
            jmx.close();
        }
        registry.close();
    }
}
