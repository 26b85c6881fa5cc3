package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.search.lucene.LuceneMessageIndex;

/** The memory settings: their defaults, values in range, and bad values refused with the setting's name. */
class MemorySettingsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreThoseTheHelpGives() {
        assertThat(ServerConfig.parse(List.of()).memory()).isEqualTo(MemorySettings.defaults());
        assertThat(ServerConfig.help()).contains("--h2-cache-mib", "--message-log-cache-mib", "--search-buffer-mib",
                "--name-cache-entries");
    }

    @Test
    void valuesAreTakenFromFlags() {
        MemorySettings m = ServerConfig.parse(List.of("--h2-cache-mib", "4", "--message-log-cache-mib=6",
                "--search-buffer-mib", "2", "--name-cache-entries", "5000")).memory();
        assertThat(m).isEqualTo(new MemorySettings(4, 6, 2, 5000));
    }

    @Test
    void badValuesAreRefusedWithTheSettingAndTheRange() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--h2-cache-mib", "0")))
                .hasMessage("h2-cache-mib must be between 1 and 65536, was 0");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--message-log-cache-mib", "lots")))
                .hasMessage("message-log-cache-mib must be a whole number, was 'lots'");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--search-buffer-mib", "4096")))
                .hasMessage("search-buffer-mib must be between 1 and 2047, was 4096");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--name-cache-entries", "15")))
                .hasMessage("name-cache-entries must be between 16 and 10000000, was 15");
    }

    @Test
    void theSearchIndexBuffersWhatItsSettingSays() throws Exception {
        LuceneMessageIndex index = LuceneMessageIndex.open(dir.resolve("search"), 3);
        try {
            assertThat(index.bufferMiB()).isEqualTo(3.0);
        } finally {
            index.close();
        }
        assertThatThrownBy(() -> LuceneMessageIndex.open(dir.resolve("other"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 MiB");
    }
}
