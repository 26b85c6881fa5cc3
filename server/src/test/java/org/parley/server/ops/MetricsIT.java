package org.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** The operations endpoint: Prometheus metrics that move with real traffic, and the health checks. */
class MetricsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        var a = server.server().opsAddress();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first sample of {@code name} whose labels contain every one of {@code labels}. */
    private static double sample(String scrape, String name, String... labels) {
        return series(scrape, name, labels).findFirst().orElse(0);
    }

    /** The sum of every series of {@code name} with these labels (e.g. the heap's memory pools, some of them empty). */
    private static double total(String scrape, String name, String... labels) {
        return series(scrape, name, labels).sum();
    }

    /** The values of the series of {@code name} whose lines hold every one of {@code labels}, in scrape order. */
    private static java.util.stream.DoubleStream series(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> !line.startsWith("#") && (line.startsWith(name + " ") || line.startsWith(name + "{")))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }

    @Test
    void countersMoveWithRealTraffic() throws Exception {
        String before = get("/metrics").body();
        assertThat(sample(before, "parley_messages_stored_total")).isZero();

        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection bob2 = server.login("bob");
        assertThat(server.connect().error(new Accounts.Login("bob", "wrong password", "test")).code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        for (int i = 0; i < 3; i++) {
            ann.request(new Chat.Send(c, "m" + i, Kind.TEXT, "hello " + i, List.of()), Chat.Sent.class);
            bob.awaitPush(Chat.NewMessage.class);
            bob2.awaitPush(Chat.NewMessage.class);
        }
        byte[] content = "some file content".repeat(100).getBytes();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Transfers.UploadReady ready = ann.request(new Transfers.UploadStart(c, "f1", "notes.txt", "text/plain",
                content.length, sha, false), Transfers.UploadReady.class);
        ann.request(new Transfers.UploadChunk(ready.uploadId(), 0, content), Session.Ok.class);
        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0,
                new byte[0]), Transfers.UploadDone.class);
        Transfers.FileChunk chunk = bob.request(new Transfers.FetchChunk(done.attachment().fileId(), 0,
                content.length), Transfers.FileChunk.class);
        assertThat(chunk.data()).isEqualTo(content);

        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String m = r.body();
        assertThat(sample(m, "parley_connections")).isEqualTo(3);
        assertThat(sample(m, "parley_logins_total", "result=\"ok\"")).isEqualTo(3);
        assertThat(sample(m, "parley_logins_total", "result=\"failed\"")).isEqualTo(1);
        // three texts and the file's message, each pushed to bob's two connections
        assertThat(sample(m, "parley_messages_stored_total")).isEqualTo(4);
        assertThat(sample(m, "parley_messages_deliveries_total")).isEqualTo(8);
        assertThat(sample(m, "parley_requests_seconds_count", "type=\"Send\"", "outcome=\"ok\"")).isEqualTo(3);
        assertThat(sample(m, "parley_requests_seconds_bucket", "type=\"Send\"", "le=\"+Inf\"")).isEqualTo(3);
        assertThat(sample(m, "parley_storage_message_writes_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(sample(m, "parley_storage_syncs_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(sample(m, "parley_files_bytes_in_bytes_total")).isEqualTo(content.length);
        assertThat(sample(m, "parley_files_bytes_out_bytes_total")).isEqualTo(content.length);
        // the heap's pools: one of them may be empty at the moment of the scrape (Eden after a collection)
        assertThat(total(m, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
        assertThat(m).contains("jvm_gc_");
    }

    @Test
    void healthSaysLiveAndReadyWhileServingAndOnlyThen() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void readinessReportsStartingStoppingAndAFailingStorageCheck() {
        Health health = new Health();
        assertThat(health.notReadyReason()).startsWith("starting");
        boolean[] works = {true};
        health.ready(() -> works[0]);
        assertThat(health.notReadyReason()).isNull();
        works[0] = false;
        assertThat(health.notReadyReason()).isEqualTo("storage check failed");
        health.ready(() -> {
            throw new IllegalStateException("database closed");
        });
        assertThat(health.notReadyReason()).contains("database closed");
        health.ready(() -> true);
        health.stopping();
        assertThat(health.notReadyReason()).isEqualTo("stopping");
    }

    @Test
    void metricsJmxPublishesTheMetersAsMBeans(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var pattern = new javax.management.ObjectName("metrics:*");
        try (org.parley.server.ParleyServer jmx = org.parley.server.ParleyServer.start(
                org.parley.server.config.ServerConfig.parse(List.of("--host", "127.0.0.1", "--port", "0", "--plaintext",
                        "--data-dir", dir.toString(), "--metrics-jmx", "true")))) {
            assertThat(jmx.opsAddress()).isNull();
            assertThat(mbeans.queryNames(pattern, null)).extracting(Object::toString)
                    .anyMatch(n -> n.contains("parleyMessagesStored"));
        }
        assertThat(mbeans.queryNames(pattern, null)).extracting(Object::toString)
                .noneMatch(n -> n.contains("parleyMessagesStored"));
    }

    @Test
    void theEndpointIsOffByDefault() {
        assertThat(org.parley.server.config.ServerConfig.defaults().ops().metricsAddress()).isNull();
        assertThat(org.parley.server.config.ServerConfig.parse(List.of("--metrics-address", "[::1]:9464")).ops()
                .metricsAddress().getPort()).isEqualTo(9464);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.parley.server.config.ServerConfig.parse(
                List.of("--metrics-address", "9464"))).hasMessageContaining("HOST:PORT");
    }
}
