package org.parley.server.storage.h2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.parley.server.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema scripts {@code db/h2/V<n>__<name>.sql} that a database has not seen yet, in order, each in
 * its own transaction, recording them in {@code schema_version}. Refuses a database newer than this code.
 */
final class Migrations {

    /** Scripts in order; append, never edit one that has shipped. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__files.sql", "V3__members_by_account.sql",
            "V4__open_uploads.sql", "V5__accounts_policy.sql", "V6__group_roles.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    static void apply(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, script VARCHAR(200) "
                    + "NOT NULL, applied_at BIGINT NOT NULL)");
        }
        int current = Jdbc.query(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version", ps -> {
        }, rs -> rs.getInt(1)).get(0);
        if (current > SCRIPTS.size()) {
            throw new StorageException("the database has schema version " + current + " but this server knows "
                    + "only up to " + SCRIPTS.size() + ": use a newer server");
        }
        for (int v = current + 1; v <= SCRIPTS.size(); v++) {
            String script = SCRIPTS.get(v - 1);
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : statements(read(script))) {
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

    static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/h2/" + script)) {
            if (in == null) {
                throw new StorageException("missing migration script " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read migration script " + script, e);
        }
    }

    /** Splits a script on semicolons at line ends, dropping "--" comment lines. */
    static List<String> statements(String script) {
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
