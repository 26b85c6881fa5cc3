package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage settings: H2 by default; PostgreSQL with a URL, and a password from a file or the environment only. */
class StorageSettingsTest {

    @TempDir
    Path dir;

    @Test
    void h2IsTheDefault() {
        assertThat(ServerConfig.parse(List.of()).storage().kind()).isEqualTo("h2");
    }

    @Test
    void postgresqlTakesItsPasswordFromAFileElseTheEnvironment() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\n");
        StorageSettings fromFile = StorageSettings.from(settings("postgresql", "jdbc:postgresql://db:5432/parley",
                file.toString()), Map.of(StorageSettings.PASSWORD_ENV, "ignored"));
        assertThat(fromFile.postgresql()).isTrue();
        assertThat(fromFile.password()).isEqualTo("s3cret");
        assertThat(fromFile.toString()).doesNotContain("s3cret");
        StorageSettings fromEnv = StorageSettings.from(settings("postgresql", "jdbc:postgresql://db/parley", ""),
                Map.of(StorageSettings.PASSWORD_ENV, "from-env"));
        assertThat(fromEnv.password()).isEqualTo("from-env");
        assertThat(StorageSettings.from(settings("postgresql", "jdbc:postgresql://db/parley", ""), Map.of())
                .password()).isEmpty();
    }

    @Test
    void badStorageSettingsAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> StorageSettings.from(settings("mysql", "", ""), Map.of()))
                .hasMessageContaining("storage must be h2 or postgresql");
        assertThatThrownBy(() -> StorageSettings.from(settings("postgresql", "", ""), Map.of()))
                .hasMessageContaining("needs postgresql-url");
        assertThatThrownBy(() -> StorageSettings.from(settings("postgresql",
                "jdbc:postgresql://db/parley?user=p&password=x", ""), Map.of()))
                .hasMessageContaining("must not hold the password");
        assertThatThrownBy(() -> StorageSettings.from(settings("postgresql", "jdbc:postgresql://db/parley",
                dir.resolve("missing").toString()), Map.of())).hasMessageContaining("cannot read postgresql-password-file");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--postgresql-password", "x")))
                .hasMessageContaining("unknown option --postgresql-password");
    }

    @Test
    void theMessageLogIsAutoByDefaultMvstoreOrSqlOnRequestAndMvstoreOnlyWithH2() {
        assertThat(ServerConfig.parse(List.of()).storage().messageLog()).isEqualTo("auto");
        assertThat(ServerConfig.parse(List.of("--message-log", "MVStore")).storage().messageLog())
                .isEqualTo("mvstore");
        assertThat(ServerConfig.parse(List.of("--message-log", "sql")).storage().messageLog()).isEqualTo("sql");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--message-log", "files")))
                .hasMessageContaining("message-log must be auto, mvstore or sql");
        Map<String, String> pg = settings("postgresql", "jdbc:postgresql://db/parley", "");
        assertThat(StorageSettings.from(pg, Map.of()).messageLog()).as("PostgreSQL keeps its table").isEqualTo("auto");
        pg.put("message-log", "mvstore");
        assertThatThrownBy(() -> StorageSettings.from(pg, Map.of()))
                .hasMessageContaining("message-log=mvstore needs storage=h2");
    }

    private static Map<String, String> settings(String kind, String url, String passwordFile) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("storage", kind);
        v.put("postgresql-url", url);
        v.put("postgresql-user", "parley");
        v.put("postgresql-password-file", passwordFile);
        v.put("postgresql-pool-size", "16");
        return v;
    }
}
