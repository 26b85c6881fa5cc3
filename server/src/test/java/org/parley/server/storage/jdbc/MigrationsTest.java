package org.parley.server.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.server.common.StorageException;

/**
 * One list of schema scripts for every adapter: a script added for one dialect only (a V6 added to db/h2 while
 * db/postgresql has none) fails here, before any server starts on the other database.
 */
class MigrationsTest {

    @Test
    void everyDialectHasEveryScript() {
        for (String dialect : Migrations.DIALECTS) {
            int previous = 0;
            for (String script : Migrations.SCRIPTS) {
                assertThat(script).matches("V[1-9][0-9]*__.+\\.sql");
                assertThat(Migrations.version(script)).as("numbers increase along the list").isGreaterThan(previous);
                previous = Migrations.version(script);
                assertThat(MigrationsTest.class.getResource("/db/" + dialect + "/" + script))
                        .as("db/%s/%s", dialect, script).isNotNull();
            }
        }
    }

    @Test
    void aMissingScriptSaysWhichAndWhere() {
        assertThatThrownBy(() -> Migrations.read("postgresql", "V99__nothing.sql"))
                .isInstanceOf(StorageException.class).hasMessageContaining("/db/postgresql/V99__nothing.sql")
                .hasMessageContaining("schema-migrations.md");
    }
}
