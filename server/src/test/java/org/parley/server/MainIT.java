package org.parley.server;

import org.parley.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.server.testing.ParleyServerExtension;

/** The command line: settings, help, and the offline admin command. */
class MainIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @Test
    void disableAccountWorksOnAStoppedServersDataDirectory() throws Exception {
        server.register("mallory").close();
        server.stop();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            Main.main(new String[] {"disable-account", "mallory", "--data-dir", server.dataDir().toString()});
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString()).contains("disabled mallory");
        server.restart();
        assertThat(server.connect().error(new Accounts.Login("mallory", "password-mallory", "")).code())
                .isEqualTo(ErrorCode.ACCOUNT_DISABLED);
    }

    @Test
    void flagsOverrideTheConfigFileWhichOverridesDefaults() throws Exception {
        java.nio.file.Files.writeString(server.dataDir().resolve("custom.properties"),
                "max-message-bytes=500\nport=9000\n");
        ServerConfig c = ServerConfig.parse(List.of("--config", server.dataDir().resolve("custom.properties")
                .toString(), "--port", "9100"));
        assertThat(c.maxMessageBytes()).isEqualTo(500);
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.tls()).isTrue();
        assertThat(ServerConfig.parse(List.of("--plaintext")).tls()).isFalse();
    }

    @Test
    void badSettingsAreExplained() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.parse(List.of("--port", "http")))
                .hasMessageContaining("port must be a whole number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.parse(List.of("--prot", "1")))
                .hasMessageContaining("unknown option --prot");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.parse(List.of("--tls", "maybe")))
                .hasMessageContaining("true or false");
        assertThat(Main.usage()).contains("--max-message-bytes").contains("disable-account");
    }
}
