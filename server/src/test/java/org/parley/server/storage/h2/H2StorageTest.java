package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.server.common.DuplicateKeyException;
import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;
import org.parley.server.storage.jdbc.Jdbc;
import org.parley.server.storage.jdbc.JdbcConversationStore;
import org.parley.server.storage.jdbc.Migrations;

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
    void openUploadsAreIndexedByTheirLastWrite() throws Exception {
        H2Storage.open(dir, false).close();
        try (Connection c = raw()) {
            assertThat(rows(c, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'UPLOADS'"))
                    .contains("UPLOADS_OPEN");
        }
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
        int future = Migrations.newest() + 1;
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
        assertIndexLookUp("SELECT conversation_id FROM members WHERE account_id = 1", "ACCOUNT_ID");
        assertIndexLookUp("SELECT account_id FROM members WHERE conversation_id = 1", "CONVERSATION_ID");
        assertIndexLookUp("SELECT id FROM accounts WHERE name = 'ann'", "NAME");
        assertIndexLookUp("SELECT id FROM conversations WHERE direct_key = '1:2'", "DIRECT_KEY");
        assertIndexLookUp("SELECT from_id FROM contact_requests WHERE to_id = 1", "TO_ID");
        assertIndexLookUp("SELECT to_id FROM contact_requests WHERE from_id = 1", "FROM_ID");
        assertIndexLookUp("SELECT contact_id FROM contacts WHERE owner_id = 1", "OWNER_ID");
        assertIndexLookUp("SELECT device FROM session_tokens WHERE account_id = 1", "ACCOUNT_ID");
        assertIndexLookUp("SELECT device FROM session_tokens WHERE token_hash = X'00'", "TOKEN_HASH");
    }

    @Test
    void everyIndexOnMembersHoldsBothKeyColumnsAndOneStartsWithTheAccount() throws Exception {
        // The message writer updates the sender's marks (WHERE conversation_id = ? AND account_id = ?) in its hot
        // transaction: whichever index H2's statistics make it pick, the update must be a point look-up, not a walk
        // over every membership of an account (5 ms per update for a sender in 10,000 conversations, V3). And an
        // account's conversations need an index that starts with account_id: V3's first form declared
        // UNIQUE (account_id, conversation_id), which H2 backs with the primary key's index, so there was none and
        // every resync scanned the whole table.
        H2Storage.open(dir, false).close();
        try (Connection c = raw()) {
            List<String> indexes = rows(c, "SELECT INDEX_NAME, LISTAGG(COLUMN_NAME, ',') WITHIN GROUP "
                    + "(ORDER BY ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'MEMBERS' "
                    + "GROUP BY INDEX_NAME");
            assertThat(indexes).hasSize(2).allSatisfy(i -> assertThat(i.substring(i.indexOf('|') + 1).split(","))
                    .containsExactlyInAnyOrder("CONVERSATION_ID", "ACCOUNT_ID"));
            assertThat(indexes).contains("MEMBERS_BY_ACCOUNT|ACCOUNT_ID,CONVERSATION_ID");
        }
    }

    /**
     * The statistics H2 may hold for members when it plans. "distinct": last analyzed while account ids were nearly
     * distinct (members of groups, as after the fan-out benchmark), then one sender joins 5,000 direct conversations:
     * with these V1 updated the sender's marks through its account_id index. "one-account": analyzed while one
     * account was in every row. "one-conversation": analyzed while one conversation held every row. "none": never
     * analyzed.
     */
    private void membersWithStatistics(Path data, String statistics) throws SQLException {
        H2Storage.open(data, false).close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) "
                    + "SELECT X, 'a' || X, 'A', 'h', 0 FROM SYSTEM_RANGE(1, 30000)");
            st.execute("INSERT INTO conversations (id, kind, title, created_at) SELECT X, 1, 't', 0 "
                    + "FROM SYSTEM_RANGE(1, 12000)");
            switch (statistics) {
                case "distinct" -> st.execute("INSERT INTO members (conversation_id, account_id) "
                        + "SELECT 11000 + X / 1000, 10000 + X FROM SYSTEM_RANGE(1, 5000)");
                case "one-account" -> st.execute("INSERT INTO members (conversation_id, account_id) "
                        + "SELECT 6000 + X, 2 FROM SYSTEM_RANGE(1, 5000)");
                case "one-conversation" -> st.execute("INSERT INTO members (conversation_id, account_id) "
                        + "SELECT 11999, 10000 + X FROM SYSTEM_RANGE(1, 5000)");
                case "none" -> {
                }
                default -> throw new IllegalArgumentException(statistics);
            }
            if (!statistics.equals("none")) {
                st.execute("ANALYZE");
            }
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT X, 1 FROM SYSTEM_RANGE(1, 5000)");
        }
    }

    /** EXPLAIN of one of the adapter's own statements with its parameters bound (a plan may depend on them). */
    private static String plan(Path data, String sql, Object... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i] instanceof Long[] ids ? c.createArrayOf("BIGINT", ids)
                        : parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).replaceAll("\\s+", " ");
            }
        }
    }

    @Test
    void theMembershipStatementsAreLookUpsWhateverTheStatistics() throws Exception {
        // The plans of the statements themselves (not of similar SQL), under statistics that made H2 choose badly
        // before: V1 walked the sender's memberships for each marks update (storing the reconnect storm's missed
        // messages), and V3's first form scanned members for each account's conversations (its catch-up, 7x slower).
        for (String statistics : List.of("distinct", "one-account", "one-conversation", "none")) {
            Path data = dir.resolve(statistics);
            membersWithStatistics(data, statistics);
            assertThat(plan(data, JdbcConversationStore.UPDATE_MARKS, 5L, 5L, 1L, 1L)).as(statistics)
                    .containsPattern("/\\* PUBLIC\\.[A-Z_0-9]+: (CONVERSATION_ID = [^/]* AND ACCOUNT_ID"
                            + "|ACCOUNT_ID = [^/]* AND CONVERSATION_ID) = ");
            assertThat(plan(data, JdbcConversationStore.conversationsOf(H2Dialect.INSTANCE), 1L)).as(statistics)
                    .containsPattern("/\\* PUBLIC\\.PRIMARY_KEY_[0-9A-F]+: ID IN\\(SELECT ")
                    .contains("/* PUBLIC.MEMBERS_BY_ACCOUNT: ACCOUNT_ID = ?1 */")
                    .doesNotContainIgnoringCase("tableScan");
            assertThat(plan(data, JdbcConversationStore.MEMBERS_OF_ANY, (Object) new Long[] {1L, 2L, 11999L}))
                    .as(statistics).containsPattern("/\\* PUBLIC\\.PRIMARY_KEY_[0-9A-F]+: CONVERSATION_ID IN\\(")
                    .doesNotContainIgnoringCase("tableScan");
        }
    }

    @Test
    void aVersion2DatabaseKeepsItsMembersWhenMigratedToVersion3() throws Exception {
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            for (int v = 1; v <= 2; v++) {
                for (String sql : Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v - 1)))) {
                    st.execute(sql);
                }
                st.execute("INSERT INTO schema_version VALUES (" + v + ", '" + Migrations.SCRIPTS.get(v - 1) + "', 0)");
            }
            st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                    + "(1, 'ann', 'Ann', 'h', 0), (2, 'bob', 'Bob', 'h', 0)");
            st.execute("INSERT INTO conversations (id, kind, title, created_at) VALUES (10, 1, 'g', 0), (11, 1, 'h', 0)");
            st.execute("INSERT INTO members VALUES (10, 1, 3, 2), (10, 2, 1, 1), (11, 1, 0, 0)");
            assertThat(rows(c, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'MEMBERS'"))
                    .contains("MEMBERS_ACCOUNT");
        }
        try (H2Storage storage = H2Storage.open(dir, false)) {
            assertThat(storage.conversations().conversationsOf(1)).extracting(x -> x.id())
                    .containsExactlyInAnyOrder(10L, 11L);
            assertThat(storage.conversations().members(10)).extracting(m -> m.accountId() + ":"
                    + m.deliveredUpTo() + ":" + m.readUpTo()).containsExactlyInAnyOrder("1:3:2", "2:1:1");
        }
        try (Connection c = raw()) {
            assertThat(rows(c, "SELECT MAX(version) FROM schema_version"))
                    .containsExactly(String.valueOf(Migrations.newest()));
            assertThat(rows(c, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'MEMBERS'"))
                    .doesNotContain("MEMBERS_ACCOUNT");
        }
    }

    @Test
    void version3CanBeRunAgainAfterStoppingAfterAnyOfItsStatements() throws Exception {
        // H2 commits each DDL statement on its own: a start that stopped half-way leaves part of V3 done and no
        // schema_version row, and the next start runs the whole script again. No membership may be lost or doubled.
        List<String> v3 = Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(2)));
        for (int done = 0; done <= v3.size(); done++) {
            Path data = dir.resolve("stop-" + done);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                    Statement st = c.createStatement()) {
                for (int v = 1; v <= 2; v++) {
                    for (String sql : Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v - 1)))) {
                        st.execute(sql);
                    }
                }
                st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                        + "(1, 'ann', 'Ann', 'h', 0), (2, 'bob', 'Bob', 'h', 0)");
                st.execute("INSERT INTO conversations (id, kind, title, created_at) VALUES (10, 1, 'g', 0)");
                st.execute("INSERT INTO members VALUES (10, 1, 3, 2), (10, 2, 1, 1)");
                for (String sql : v3.subList(0, done)) {
                    st.execute(sql);
                }
                st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                st.execute("INSERT INTO schema_version VALUES (1, 'V1__init.sql', 0), (2, 'V2__files.sql', 0)");
            }
            try (H2Storage storage = H2Storage.open(data, false)) {
                assertThat(storage.conversations().members(10)).as("stopped after %d statements", done)
                        .extracting(m -> m.accountId() + ":" + m.deliveredUpTo() + ":" + m.readUpTo())
                        .containsExactlyInAnyOrder("1:3:2", "2:1:1");
                storage.conversations().addMembers(10, List.of(1L));
                assertThat(storage.conversations().members(10)).as("the primary key is back").hasSize(2);
            }
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "")) {
                assertThat(rows(c, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'MEMBERS%'"))
                        .containsExactly("MEMBERS");
                assertThat(rows(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'MEMBERS' "
                        + "GROUP BY INDEX_NAME")).as("two indexes, each holding both columns").containsExactly("2", "2");
                assertThat(rows(c, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'MEMBERS'"))
                        .as("stopped after %d statements", done).contains("MEMBERS_BY_ACCOUNT");
            }
        }
    }

    /**
     * V6 gives every membership a role: the creator of each group (the sender of its first SYSTEM message) is its
     * admin, a group whose creator has gone gets its lowest account id as admin, 1:1 conversations have none. Like
     * every script, it may be run again after stopping after any of its statements.
     */
    @Test
    void version6MakesEachGroupsCreatorItsAdminAndCanBeRunAgainAfterStoppingAnywhere() throws Exception {
        List<String> v6 = Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(5)));
        for (int done = 0; done <= v6.size(); done++) {
            Path data = dir.resolve("v6-stop-" + done);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                for (int v = 1; v <= 5; v++) {
                    for (String sql : Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v - 1)))) {
                        st.execute(sql);
                    }
                    st.execute("INSERT INTO schema_version VALUES (" + v + ", '" + Migrations.SCRIPTS.get(v - 1)
                            + "', 0)");
                }
                st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                        + "(1, 'ann', 'Ann', 'h', 0), (2, 'bob', 'Bob', 'h', 0), (3, 'cat', 'Cat', 'h', 0)");
                // 10: made by cat; 11: made by ann, who left; 12: no messages at all; 13: 1:1.
                st.execute("INSERT INTO conversations (id, kind, title, created_at) VALUES (10, 1, 'g', 0), "
                        + "(11, 1, 'h', 0), (12, 1, 'i', 0), (13, 0, '', 0)");
                st.execute("INSERT INTO members (conversation_id, account_id) VALUES (10, 1), (10, 2), (10, 3), "
                        + "(11, 2), (11, 3), (12, 3), (12, 2), (13, 1), (13, 2)");
                st.execute("INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, ts, text) "
                        + "VALUES (10, 1, 3, NULL, 3, 0, 'cat created the group'), (10, 2, 1, 'x', 0, 0, 'hi'), "
                        + "(10, 3, 1, NULL, 3, 0, 'ann renamed the group'), "
                        + "(11, 1, 1, NULL, 3, 0, 'ann created the group'), (11, 2, 1, NULL, 3, 0, 'ann left'), "
                        + "(13, 1, 2, 'y', 0, 0, 'hello')");
                for (String sql : v6.subList(0, done)) {
                    st.execute(sql);
                }
            }
            try (H2Storage storage = H2Storage.open(data, false)) {
                for (long g : List.of(10L, 11L, 12L, 13L)) {
                    assertThat(storage.conversations().members(g)).as("conversation %d, stopped after %d statements",
                            g, done).filteredOn(m -> m.admin()).extracting(m -> m.accountId())
                            .containsExactlyElementsOf(switch ((int) g) {
                                case 10 -> List.of(3L);
                                case 11, 12 -> List.of(2L);
                                default -> List.<Long>of();
                            });
                }
                assertThat(storage.conversations().longestStandingMember(10)).hasValue(1L);
            }
        }
    }

    /**
     * V12 (#17): a message takes entries in its primary key and the client-id index only, the latter led by the
     * client id (so that time-ordered ids are appended at its end); the EDIT entries of a message are found through
     * message_edits (filled from the messages of an older database) instead of an index with an entry for every
     * message. Re-runnable after stopping after any of its statements, and a resend is still a duplicate after it.
     */
    @Test
    void version12MovesTheEditsOutOfAnIndexOnEveryMessageAndCanBeRunAgainAfterStoppingAnywhere() throws Exception {
        int v12 = Migrations.SCRIPTS.indexOf("V12__lean_write_path.sql");
        assertThat(v12).isPositive();
        List<String> statements = Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v12)));
        for (int done = 0; done <= statements.size(); done++) {
            Path data = dir.resolve("v12-stop-" + done);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                for (String script : Migrations.SCRIPTS.subList(0, v12)) {
                    for (String sql : Migrations.statements(Migrations.read("h2", script))) {
                        st.execute(sql);
                    }
                    st.execute("INSERT INTO schema_version VALUES (" + Migrations.version(script) + ", '" + script
                            + "', 0)");
                }
                st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                        + "(1, 'ann', 'Ann', 'h', 0)");
                st.execute("INSERT INTO conversations (id, kind, title, last_seq, created_at) VALUES (10, 1, 'g', 4, 0)");
                st.execute("INSERT INTO members (conversation_id, account_id) VALUES (10, 1)");
                // Message 1 edited twice (entries 2 and 3, carrying its current text), message 4 never.
                st.execute("INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, ts, text, "
                        + "edited_at, target_seq) VALUES (10, 1, 1, 'm1', 0, 0, 'one v2', 2, 0), "
                        + "(10, 2, 1, 'e1', 4, 1, 'one v2', 0, 1), (10, 3, 1, 'e2', 4, 2, 'one v2', 0, 1), "
                        + "(10, 4, 1, 'm4', 0, 3, 'four', 0, 0)");
                for (String sql : statements.subList(0, done)) {
                    st.execute(sql);
                }
            }
            try (H2Storage storage = H2Storage.open(data, false)) {
                storage.messages().append(List.of(new org.parley.server.messages.MessageStore.Draft(10, 1, "e3",
                        org.parley.protocol.message.Chat.Kind.EDIT, 9, "one v3", new byte[0], 1, List.of())));
                assertThat(storage.messages().append(List.of(new org.parley.server.messages.MessageStore.Draft(10,
                        1, "m4", org.parley.protocol.message.Chat.Kind.TEXT, 9, "four again", new byte[0]))).get(0)
                        .duplicate()).isTrue();
                assertThat(storage.messages().after(10, 0, 10)).as("stopped after %d statements", done)
                        .extracting(m -> m.seq() + ":" + m.text()).containsExactly("1:one v3", "2:one v3",
                                "3:one v3", "4:four", "5:one v3");
            }
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "")) {
                assertThat(rows(c, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'MESSAGES' "
                        + "AND INDEX_NAME NOT LIKE 'PRIMARY_KEY%'")).containsExactly("MESSAGES_CLIENT_ID");
                assertThat(rows(c, "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE INDEX_NAME = "
                        + "'MESSAGES_CLIENT_ID' ORDER BY ORDINAL_POSITION")).as("time-ordered ids land at its end")
                        .containsExactly("CLIENT_MSG_ID", "SENDER_ID");
                assertThat(rows(c, "SELECT conversation_id, target_seq, seq FROM message_edits ORDER BY seq"))
                        .containsExactly("10|1|2", "10|1|3", "10|1|5");
            }
        }
    }

    /**
     * V14 (#15) records who created each group: existing groups get the sender of their first SYSTEM message, 1:1
     * conversations and a group without one nobody. Re-runnable after stopping after any of its statements. Also
     * when the server starts with message-log=mvstore: the migrations run before the log imports the table.
     */
    @ParameterizedTest(name = "mvstore log={0}")
    @ValueSource(booleans = {false, true})
    void version14FindsEachGroupsCreatorAndCanBeRunAgainAfterStoppingAnywhere(boolean mvstoreLog) throws Exception {
        int v14 = Migrations.SCRIPTS.indexOf("V14__group_creators.sql");
        assertThat(v14).isPositive();
        List<String> statements = Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v14)));
        for (int done = 0; done <= statements.size(); done++) {
            Path data = dir.resolve("v14-stop-" + done);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                for (String script : Migrations.SCRIPTS.subList(0, v14)) {
                    for (String sql : Migrations.statements(Migrations.read("h2", script))) {
                        st.execute(sql);
                    }
                    st.execute("INSERT INTO schema_version VALUES (" + Migrations.version(script) + ", '" + script
                            + "', 0)");
                }
                st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                        + "(1, 'ann', 'Ann', 'h', 0), (2, 'bob', 'Bob', 'h', 0)");
                // 10 and 11: made by bob (who left 11); 12: no SYSTEM message; 13: 1:1.
                st.execute("INSERT INTO conversations (id, kind, title, last_seq, created_at) VALUES "
                        + "(10, 1, 'g', 2, 5), (11, 1, 'h', 2, 6), (12, 1, 'i', 0, 7), (13, 0, '', 1, 8)");
                st.execute("INSERT INTO members (conversation_id, account_id) VALUES (10, 1), (10, 2), (11, 1), "
                        + "(12, 1), (13, 1), (13, 2)");
                st.execute("INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, ts, text) "
                        + "VALUES (10, 1, 2, NULL, 3, 0, 'bob created the group'), (10, 2, 1, NULL, 3, 0, 'ann "
                        + "renamed the group'), (11, 1, 2, NULL, 3, 0, 'bob created the group'), (11, 2, 2, NULL, 3, "
                        + "0, 'bob left'), (13, 1, 1, 'y', 0, 0, 'hello')");
                for (String sql : statements.subList(0, done)) {
                    st.execute(sql);
                }
            }
            // With the MVStore log, the migrations run first, on the SQL table, and the log imports it after them.
            try (H2Storage storage = H2Storage.open(data, false, mvstoreLog)) {
                assertThat(storage.conversations().groupsCreatedBy(2, 0)).as("stopped after %d statements", done)
                        .isEqualTo(2);
                assertThat(storage.messages().lastSeq(10)).isEqualTo(2);
                assertThat(storage.conversations().groupsCreatedBy(2, 6)).isEqualTo(1);
                assertThat(storage.conversations().groupsCreatedBy(1, 0)).as("renaming is not creating").isZero();
            }
        }
    }

    /**
     * V16: an older database's SYSTEM lines join the entries unread counts leave out (message_edits, target seq 0),
     * as new ones do; re-runnable after stopping anywhere.
     */
    @ParameterizedTest(name = "mvstore log={0}")
    @ValueSource(booleans = {false, true})
    void version16LeavesAnOlderDatabasesSystemLinesOutOfUnreadCountsAndCanBeRunAgain(boolean mvstoreLog)
            throws Exception {
        int v16 = Migrations.SCRIPTS.indexOf("V16__system_lines_not_unread.sql");
        assertThat(v16).isPositive();
        List<String> statements = Migrations.statements(Migrations.read("h2", Migrations.SCRIPTS.get(v16)));
        for (int done = 0; done <= statements.size(); done++) {
            Path data = dir.resolve("v16-stop-" + done);
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("parley"), "parley", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                for (String script : Migrations.SCRIPTS.subList(0, v16)) {
                    for (String sql : Migrations.statements(Migrations.read("h2", script))) {
                        st.execute(sql);
                    }
                    st.execute("INSERT INTO schema_version VALUES (" + Migrations.version(script) + ", '" + script
                            + "', 0)");
                }
                st.execute("INSERT INTO accounts (id, name, display_name, password_hash, created_at) VALUES "
                        + "(1, 'ann', 'Ann', 'h', 0)");
                st.execute("INSERT INTO conversations (id, kind, title, last_seq, created_at) VALUES (10, 1, 'g', 4, 0)");
                st.execute("INSERT INTO members (conversation_id, account_id) VALUES (10, 1)");
                // 1 SYSTEM, 2 a text, 3 its EDIT (in message_edits since V12), 4 SYSTEM
                st.execute("INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, ts, text, "
                        + "edited_at, target_seq) VALUES (10, 1, 1, NULL, 3, 0, 'ann created the group “g”', 0, 0), "
                        + "(10, 2, 1, 'm2', 0, 1, 'two!', 2, 0), (10, 3, 1, 'e1', 4, 2, 'two!', 0, 2), "
                        + "(10, 4, 1, NULL, 3, 3, 'ann renamed the group to “h”', 0, 0)");
                st.execute("INSERT INTO message_edits (conversation_id, target_seq, seq, kind) VALUES (10, 2, 3, 4)");
                for (String sql : statements.subList(0, done)) {
                    st.execute(sql);
                }
            }
            try (H2Storage storage = H2Storage.open(data, false, mvstoreLog)) {
                assertThat(storage.messages().changesAfter(10, 0)).as("stopped after %d statements", done)
                        .containsExactly(1, 3, 4);
                assertThat(storage.messages().changesAfter(10, 1)).containsExactly(3, 4);
            }
        }
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
        int previous = 0;
        for (String script : Migrations.SCRIPTS) {
            assertThat(Migrations.version(script)).as(script).isGreaterThan(previous);
            previous = Migrations.version(script);
            assertThat(H2StorageTest.class.getResource("/db/h2/" + script)).as(script).isNotNull();
        }
    }

    /**
     * A read must not make H2 write the database file. With {@code WRITE_DELAY=0} any rollback stores everything
     * unsaved, and H2's own pool rolled a session back when it was taken and given back: every read wrote out the
     * pages of whatever transaction was open meanwhile (the message writer's, in a busy server).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void readsDoNotWriteTheFileWhileAnotherTransactionIsOpen() throws Exception {
        try (H2Storage s = H2Storage.open(dir, true)) {
            long ann = s.accounts().create("ann", "Ann", "h", false, 1).id();
            long bob = s.accounts().create("bob", "Bob", "h", false, 1).id();
            long direct = s.conversations().findOrCreateDirect(ann, bob, 1).id();
            var open = new java.util.concurrent.CountDownLatch(1);
            var done = new java.util.concurrent.CountDownLatch(1);
            Thread writer = Thread.ofPlatform().start(() -> s.jdbc().inTransaction(c -> {
                Jdbc.update(c, "INSERT INTO accounts (name, display_name, password_hash, created_at) "
                        + "VALUES ('cid', 'Cid', 'h', 1)", ps -> { });
                open.countDown();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            open.await();
            long before = fileWrites(s);
            for (int i = 0; i < 20; i++) {
                assertThat(s.conversations().find(direct)).isPresent();
                assertThat(s.accounts().findByName("ann")).isPresent();
                assertThat(s.messages().before(direct, 0, 10)).isEmpty();
            }
            long after = fileWrites(s);
            done.countDown();
            writer.join();
            assertThat(after).as("file writes during 60 reads").isEqualTo(before);
            assertThat(s.accounts().findByName("cid")).as("the open transaction still commits").isPresent();
        }
    }

    /**
     * V18 (#17): a chunk is stored as one block as it came (up to file-block-kib), where it was split into 16 KiB
     * blocks before; an older database's 16 KiB blocks still read at any offset, next to new large ones, and so do
     * blocks written after the setting was lowered again.
     */
    @Test
    void version18StoresAChunkAsOneBlockAndBlocksOfEverySizeReadAtAnyOffset() throws Exception {
        int v18 = Migrations.SCRIPTS.indexOf("V18__large_file_blocks.sql");
        assertThat(v18).isPositive();
        java.util.Random random = new java.util.Random(18);
        byte[] old = new byte[5 * 16384]; // an older server's blocks: 16 KiB each
        random.nextBytes(old);
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            for (String script : Migrations.SCRIPTS.subList(0, v18)) {
                for (String sql : Migrations.statements(Migrations.read("h2", script))) {
                    st.execute(sql);
                }
                st.execute("INSERT INTO schema_version VALUES (" + Migrations.version(script) + ", '" + script
                        + "', 0)");
            }
            st.execute("INSERT INTO blobs (id, state, created_at) VALUES (1, 0, 0)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_blocks (blob_id, off, data) "
                    + "VALUES (1, ?, ?)")) {
                for (int off = 0; off < old.length; off += 16384) {
                    ps.setLong(1, off);
                    ps.setBytes(2, java.util.Arrays.copyOfRange(old, off, off + 16384));
                    ps.executeUpdate();
                }
            }
            byte[] tooLarge = new byte[16385];
            assertThatThrownBy(() -> st.execute("INSERT INTO blob_blocks (blob_id, off, data) VALUES (2, 0, X'"
                    + java.util.HexFormat.of().formatHex(tooLarge) + "')")).as("version 17's column")
                    .isInstanceOf(SQLException.class);
        }
        byte[] chunk = new byte[256 * 1024];
        random.nextBytes(chunk);
        byte[] small = new byte[100_000];
        random.nextBytes(small);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(old);
        all.writeBytes(chunk);
        all.writeBytes(small);
        byte[] expected = all.toByteArray();
        try (H2Storage storage = H2Storage.open(dir, false)) {
            var files = (org.parley.server.storage.jdbc.JdbcFileStore) storage.files();
            files.appendBlob(1, old.length, chunk.clone());
            storage.setFileBlockBytes(16 * 1024); // lowered again: a chunk is split
            files.appendBlob(1, old.length + chunk.length, small.clone());
            long[] offsets = {0, 1, 16383, 16384, 20000, old.length - 1, old.length, old.length + 1,
                old.length + 100_000, old.length + chunk.length - 5, old.length + chunk.length,
                old.length + chunk.length + 16384 + 7, expected.length - 1};
            for (long off : offsets) {
                for (int length : new int[] {1, 5000, 16384, 300_000}) {
                    int n = (int) Math.min(length, expected.length - off);
                    assertThat(files.read(1, off, length)).as("%d bytes at %d", length, off)
                            .isEqualTo(java.util.Arrays.copyOfRange(expected, (int) off, (int) off + n));
                }
            }
            assertThat(files.read(1, expected.length, 10)).as("at the end").isEmpty();
            assertThat(files.read(1, expected.length + 3, 10)).as("past the end").isEmpty();
        }
        try (Connection c = raw()) {
            assertThat(rows(c, "SELECT COUNT(*) FROM blob_blocks WHERE blob_id = 1 AND off = " + old.length + " AND "
                    + "OCTET_LENGTH(data) = " + chunk.length)).as("the chunk is one block").containsExactly("1");
            assertThat(rows(c, "SELECT COUNT(*) FROM blob_blocks WHERE blob_id = 1")).containsExactly(
                    String.valueOf(5 + 1 + (small.length + 16383) / 16384));
            assertThat(rows(c, "SELECT IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS WHERE "
                    + "TABLE_NAME = 'BLOB_BLOCKS' AND COLUMN_NAME = 'DATA'")).as("widened, still NOT NULL")
                    .containsExactly("NO|1048576");
        }
    }

    private static long fileWrites(H2Storage s) {
        return s.jdbc().queryOne("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = "
                + "'info.FILE_WRITE'", ps -> { }, rs -> Long.parseLong(rs.getString(1))).orElseThrow();
    }
}
