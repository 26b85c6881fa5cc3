package org.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ServerConfig;

/** The cluster settings: off by default; nats with a node id, PostgreSQL and a password from a file or the environment. */
class ClusterSettingsTest {

    @TempDir
    Path dir;

    @Test
    void oneNodeIsTheDefault() {
        assertThat(ServerConfig.parse(List.of()).cluster().enabled()).isFalse();
    }

    @Test
    void natsTakesItsPasswordFromAFileElseTheEnvironmentAndNeverShowsIt() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\n");
        Map<String, String> v = settings("nats", "n1", "nats://10.0.0.5:4222");
        v.put("cluster-password-file", file.toString());
        ClusterSettings fromFile = from(v, Map.of(ClusterSettings.PASSWORD_ENV, "ignored"), true);
        assertThat(fromFile.enabled()).isTrue();
        assertThat(fromFile.nodeId()).isEqualTo("n1");
        assertThat(fromFile.password()).isEqualTo("s3cret");
        assertThat(fromFile.toString()).doesNotContain("s3cret");
        assertThat(from(settings("nats", "n2", "tls://nats.internal:4222"),
                Map.of(ClusterSettings.PASSWORD_ENV, "from-env"), true).password()).isEqualTo("from-env");
    }

    @Test
    void badClusterSettingsAreRefusedWithWhatToDo() {
        Map<String, String> env = Map.of(ClusterSettings.PASSWORD_ENV, "pw");
        assertThatThrownBy(() -> from(settings("redis", "n1", "nats://h:4222"), env, true))
                .hasMessageContaining("cluster must be off or nats");
        assertThatThrownBy(() -> from(settings("nats", "n1", "nats://h:4222"), env, false))
                .hasMessageContaining("needs storage=postgresql");
        assertThatThrownBy(() -> from(settings("nats", "", "nats://h:4222"), env, true))
                .hasMessageContaining("needs node-id");
        assertThatThrownBy(() -> from(settings("nats", "node 1", "nats://h:4222"), env, true))
                .hasMessageContaining("needs node-id");
        assertThatThrownBy(() -> from(settings("nats", "n1", "redis://h:6379"), env, true))
                .hasMessageContaining("cluster-url must be nats://");
        assertThatThrownBy(() -> from(settings("nats", "n1", "nats://parley:pw@h:4222"), env, true))
                .hasMessageContaining("must not hold a user or password");
        assertThatThrownBy(() -> from(settings("nats", "n1", "nats://h:4222"), Map.of(), true))
                .hasMessageContaining("needs a password or token");
        Map<String, String> slow = settings("nats", "n1", "nats://h:4222");
        slow.put("cluster-node-timeout-ms", "1000");
        assertThatThrownBy(() -> from(slow, env, true)).hasMessageContaining("at least three heartbeats");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--cluster", "nats", "--node-id", "n1")))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("needs storage=postgresql");
    }

    private static ClusterSettings from(Map<String, String> v, Map<String, String> env, boolean postgresql) {
        return ClusterSettings.from(v, env, postgresql, (name, min, max) -> {
            long n = Long.parseLong(v.get(name));
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " out of range");
            }
            return n;
        });
    }

    private static Map<String, String> settings(String kind, String nodeId, String url) {
        Map<String, String[]> defaults = new LinkedHashMap<>();
        ClusterSettings.addSettings(defaults);
        Map<String, String> v = new LinkedHashMap<>();
        defaults.forEach((k, d) -> v.put(k, d[0]));
        v.put("cluster", kind);
        v.put("node-id", nodeId);
        v.put("cluster-url", url);
        return v;
    }
}
