package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** typing-interval-ms: its default, a value in range, and values out of it refused with the setting's name. */
class TypingIntervalSettingTest {

    @Test
    void theDefaultIsTwoSecondsAsTheHelpSays() {
        assertThat(ServerConfig.parse(List.of()).typingIntervalMillis()).isEqualTo(2000);
        assertThat(ServerConfig.help()).contains("--typing-interval-ms", "(default: 2000)");
    }

    @Test
    void aValueInRangeIsTaken() {
        assertThat(ServerConfig.parse(List.of("--typing-interval-ms", "200")).typingIntervalMillis()).isEqualTo(200);
        assertThat(ServerConfig.parse(List.of("--typing-interval-ms=3000")).typingIntervalMillis()).isEqualTo(3000);
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheSettingAndTheRange() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--typing-interval-ms", "100")))
                .hasMessage("typing-interval-ms must be between 200 and 3000, was 100");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--typing-interval-ms", "6000")))
                .hasMessage("typing-interval-ms must be between 200 and 3000, was 6000");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--typing-interval-ms", "soon")))
                .hasMessage("typing-interval-ms must be a whole number, was 'soon'");
    }
}
