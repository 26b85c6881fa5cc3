package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.DuplicateKeyException;
import org.parley.server.storage.StorageException;
import org.parley.server.storage.StorageFullException;

/** What is particular to the H2 adapter: migrations, refusing what it cannot open, its indexes, error mapping. */
class H2StorageTest {

    @TempDir
    Path dir;

    /** A plain connection to the database while no H2Storage has it open. */
    private Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("parley"), "parley", "");
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void migrationsAreAppliedOnceAndRecorded() throws Exception {
        H2Storage.open(dir, false).close();
        List<String> first;
        try (Connection c = raw()) {
            first = rows(c, "SELECT version, script, applied_at FROM schema_version ORDER BY version");
        }
        assertThat(first).hasSize(Migrations.SCRIPTS.size());
        assertThat(first.get(0)).startsWith("1|V1__init.sql|");
        H2Storage again = H2Storage.open(dir, false);
        again.accounts().create("ann", "Ann", "h", false, 1);
        again.close();
        try (Connection c = raw()) {
            assertThat(rows(c, "SELECT version, script, applied_at FROM schema_version ORDER BY version"))
                    .isEqualTo(first);
            assertThat(rows(c, "SELECT name FROM accounts")).containsExactly("ann");
        }
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefusedAndLeftAlone() throws Exception {
        H2Storage storage = H2Storage.open(dir, false);
        storage.accounts().create("ann", "Ann", "h", false, 1);
        storage.close();
        int future = Migrations.SCRIPTS.size() + 1;
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (" + future + ", 'V" + future + "__future.sql', 0)");
        }
        assertThatThrownBy(() -> H2Storage.open(dir, false)).isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version " + future).hasMessageContaining("newer server");
        // The refused open released the database (another process or a newer server can use it) and changed nothing.
        try (Connection c = raw(); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT MAX(version) FROM schema_version")).containsExactly(String.valueOf(future));
            assertThat(rows(c, "SELECT name FROM accounts")).containsExactly("ann");
            st.execute("DELETE FROM schema_version WHERE version = " + future);
        }
        try (H2Storage reopened = H2Storage.open(dir, false)) {
            assertThat(reopened.accounts().findByName("ann")).isPresent();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> H2Storage.open(file.resolve("data"), false)).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot create data directory");
    }

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void aDatabaseInUseByAnotherProcessIsRefusedClearly() throws Exception {
        Path log = dir.resolve("child.out");
        Path data = dir.resolve("data");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dparley.log.level=WARN", AppendUntilKilled.class.getName(),
                data.toString(), "false", "1").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (other.isAlive() && !Files.readString(log).contains("READY")) {
                Thread.sleep(20);
            }
            assertThat(other.isAlive()).as("the other process runs: %s", Files.readString(log)).isTrue();
            assertThatThrownBy(() -> H2Storage.open(data, false)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("in use by another process");
        } finally {
            other.destroyForcibly();
            other.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- indexes: the hot queries must be index look-ups, not scans (speed itself is for the benchmark)

    private String plan(String sql) throws SQLException {
        try (Connection c = raw()) {
            return String.join("\n", rows(c, "EXPLAIN " + sql));
        }
    }

    @Test
    void historyPagesReadThePrimaryKeyInOrderAndStopAtTheLimit() throws Exception {
        // H2 reads an index in order (and stops at LIMIT) only when the ORDER BY columns are a prefix of the index:
        // "ORDER BY seq" sorts every message of the conversation first (about 2 s for the newest 1,000 of
        // 1,000,000), "ORDER BY conversation_id, seq" reads 1,000 rows (a few ms). The stores use the second form.
        H2Storage.open(dir, false).close();
        assertThat(plan("SELECT seq FROM messages WHERE conversation_id = 1 AND seq < 100 ORDER BY seq DESC "
                + "LIMIT 1000")).doesNotContain("index sorted");
        assertThat(plan("SELECT seq FROM messages WHERE conversation_id = 1 AND seq < 100 "
                + "ORDER BY conversation_id DESC, seq DESC LIMIT 1000")).containsIgnoringCase("PRIMARY_KEY")
                .contains("index sorted");
        assertThat(plan("SELECT seq FROM messages WHERE conversation_id = 1 AND seq > 100 "
                + "ORDER BY conversation_id, seq LIMIT 1000")).containsIgnoringCase("PRIMARY_KEY")
                .contains("index sorted");
    }

    /** The plan looks rows up through an index condition on {@code column}, not by scanning the table. */
    private void assertIndexLookUp(String sql, String column) throws SQLException {
        assertThat(plan(sql)).as(sql).containsPattern("/\\* PUBLIC\\.[A-Z_0-9]+: [^/]*\\b" + column + " = ")
                .doesNotContainIgnoringCase("tableScan");
    }

    @Test
    void theHotQueriesUseIndexes() throws Exception {
        H2Storage.open(dir, false).close();
        assertIndexLookUp("SELECT seq FROM messages WHERE sender_id = 1 AND client_msg_id = 'x'", "SENDER_ID");
        assertThat(plan("SELECT seq FROM messages WHERE sender_id = 1 AND client_msg_id = 'x'"))
                .contains("MESSAGES_CLIENT_ID");
        assertIndexLookUp("SELECT c.id FROM members m JOIN conversations c ON c.id = m.conversation_id "
                + "WHERE m.account_id = 1", "ACCOUNT_ID");
        assertIndexLookUp("SELECT account_id FROM members WHERE conversation_id = 1", "CONVERSATION_ID");
        assertIndexLookUp("SELECT id FROM accounts WHERE name = 'ann'", "NAME");
        assertIndexLookUp("SELECT id FROM conversations WHERE direct_key = '1:2'", "DIRECT_KEY");
        assertIndexLookUp("SELECT from_id FROM contact_requests WHERE to_id = 1", "TO_ID");
        assertIndexLookUp("SELECT to_id FROM contact_requests WHERE from_id = 1", "FROM_ID");
        assertIndexLookUp("SELECT contact_id FROM contacts WHERE owner_id = 1", "OWNER_ID");
        assertIndexLookUp("SELECT device FROM session_tokens WHERE account_id = 1", "ACCOUNT_ID");
        assertIndexLookUp("SELECT device FROM session_tokens WHERE token_hash = X'00'", "TOKEN_HASH");
    }

    // ---- error mapping and script parsing (units)

    @Test
    void sqlErrorsAreTranslatedToStorageExceptions() {
        SQLException duplicate = new SQLException("Unique index violation", "23505", 23505);
        assertThat(Jdbc.translate(duplicate)).isInstanceOf(DuplicateKeyException.class).hasCause(duplicate);
        SQLException full = new SQLException("The database has been closed", "90098", 90098,
                new IllegalStateException("Writing to file failed", new IOException("No space left on device")));
        assertThat(Jdbc.translate(full)).isInstanceOf(StorageFullException.class).hasCause(full);
        SQLException other = new SQLException("Syntax error", "42000", 42000);
        assertThat(Jdbc.translate(other)).isExactlyInstanceOf(StorageException.class).hasCause(other);
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        assertThat(Migrations.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (
                    x INT -- trailing words
                );

                CREATE INDEX a_x ON a (x);
                INSERT INTO a VALUES (1)
                """)).containsExactly("CREATE TABLE a (\n    x INT -- trailing words\n)", "CREATE INDEX a_x ON a (x)",
                "INSERT INTO a VALUES (1)");
    }

    @Test
    void everyShippedScriptIsOnTheClasspathInOrder() {
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            String script = Migrations.SCRIPTS.get(i);
            assertThat(script).startsWith("V" + (i + 1) + "__").endsWith(".sql");
            assertThat(H2StorageTest.class.getResource("/db/h2/" + script)).as(script).isNotNull();
        }
    }
}
