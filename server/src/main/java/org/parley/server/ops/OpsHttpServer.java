package org.parley.server.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The operations HTTP endpoint (setting {@code metrics-address}; the JDK's own HTTP server): {@code GET /metrics}
 * (Prometheus text format), {@code GET /health/live} and {@code GET /health/ready} (200 or 503 with a reason).
 * Plain HTTP with no authentication: bind it to loopback or a private network.
 */
public final class OpsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    public OpsHttpServer(InetSocketAddress address, Metrics metrics, Health health) throws IOException {
        server = HttpServer.create(address, 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "parley-ops-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", get(exchange -> send(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
        server.createContext("/health/live", get(exchange -> send(exchange, 200, "text/plain; charset=utf-8",
                "live\n")));
        server.createContext("/health/ready", get(exchange -> {
            String reason = health.notReadyReason();
            send(exchange, reason == null ? 200 : 503, "text/plain; charset=utf-8",
                    reason == null ? "ready\n" : "not ready: " + reason + "\n");
        }));
        server.start();
        LOG.atInfo().addKeyValue("address", server.getAddress()).log("operations endpoint started");
    }

    /** Adds a handler (for example the backup endpoint) at {@code path}. */
    public void handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The bound address (its port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static HttpHandler get(HttpHandler handler) {
        return exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
                    return;
                }
                handler.handle(exchange);
            }
        };
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
