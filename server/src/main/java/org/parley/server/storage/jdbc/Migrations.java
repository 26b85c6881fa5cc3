package org.parley.server.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.parley.server.common.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema scripts {@code db/<dialect>/V<n>__<name>.sql} that a database has not seen yet, in order, each
 * in its own transaction, recording them in {@code schema_version} under their number {@code n} (numbers increase
 * along the list; one reserved for a change still on its way may be missing). Refuses a database newer than this code. One
 * list of script names for every adapter: each adapter's folder ({@link Dialect#migrations()}) holds its own
 * version of each script, under the same name (docs/decisions/schema-migrations.md).
 */
public final class Migrations {

    /** Scripts in order; append, never edit one that has shipped. Every dialect's folder must have each of them. */
    public static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__files.sql", "V3__members_by_account.sql",
            "V4__open_uploads.sql", "V5__accounts_policy.sql", "V6__group_roles.sql",
            "V7__directory_accounts.sql", "V8__edit_delete.sql", "V9__reactions.sql", "V10__replies.sql",
            "V12__lean_write_path.sql", "V13__login_failures.sql", "V14__group_creators.sql",
            "V16__system_lines_not_unread.sql", "V18__large_file_blocks.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** The dialects whose folders hold the scripts ({@link Dialect#migrations()} of each adapter). */
    public static final List<String> DIALECTS = List.of("h2", "postgresql");

    public static void apply(Connection c, String dialect) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, script VARCHAR(200) "
                    + "NOT NULL, applied_at BIGINT NOT NULL)");
        }
        int current = Jdbc.query(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version", ps -> {
        }, rs -> rs.getInt(1)).get(0);
        int newest = newest();
        if (current > newest) {
            throw new StorageException("the database has schema version " + current + " but this server knows "
                    + "only up to " + newest + ": use a newer server");
        }
        java.util.Set<Integer> applied = new java.util.HashSet<>(Jdbc.query(c, "SELECT version FROM schema_version",
                ps -> {
                }, rs -> rs.getInt(1)));
        for (String script : SCRIPTS) {
            int v = version(script);
            if (applied.contains(v)) {
                continue;
            }
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : statements(read(dialect, script))) {
                    st.execute(sql);
                }
                int version = v;
                Jdbc.update(c, "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)", ps -> {
                    ps.setInt(1, version);
                    ps.setString(2, script);
                    ps.setLong(3, System.currentTimeMillis());
                });
                c.commit();
                LOG.atInfo().addKeyValue("version", v).addKeyValue("script", script).log("schema migrated");
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** The schema version this code migrates a database to: the last script's number. */
    public static int newest() {
        return version(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    /** The number {@code n} of a script named {@code V<n>__<name>.sql}. */
    public static int version(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    public static String read(String dialect, String script) {
        String path = "/db/" + dialect + "/" + script;
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new StorageException("missing migration script " + path + " (every script in Migrations"
                        + ".SCRIPTS needs a version in each dialect's folder: docs/decisions/schema-migrations.md)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read migration script " + path, e);
        }
    }

    /** Splits a script on semicolons at line ends, dropping "--" comment lines. */
    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
