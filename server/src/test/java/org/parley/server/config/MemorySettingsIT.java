package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;

/**
 * h2-cache-mib and message-log-cache-mib reach H2: the page caches' bounds, as the running server's metrics give
 * them (H2's own figures), are the settings'.
 */
class MemorySettingsIT {

    @RegisterExtension
    final ParleyServerExtension sql = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0",
            "--message-log", "sql", "--h2-cache-mib", "3");

    @RegisterExtension
    final ParleyServerExtension mvstore = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0",
            "--message-log", "mvstore", "--h2-cache-mib", "3", "--message-log-cache-mib", "5");

    private static double gauge(ParleyServerExtension server, String name) throws Exception {
        int port = server.server().opsAddress().getPort();
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void theCachesAreBoundedAsTheSettingsSay() throws Exception {
        assertThat(gauge(sql, "parley_storage_h2_cache_max_mib")).isEqualTo(3);
        assertThat(gauge(mvstore, "parley_storage_h2_cache_max_mib")).as("3 for SQL, 5 for the log").isEqualTo(8);
        assertThat(gauge(mvstore, "parley_storage_h2_cache_used_mib")).isBetween(0.0, 8.0);
    }
}
