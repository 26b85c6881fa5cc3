/**
 * The PostgreSQL adapter of the storage boundary: a HikariCP pool of PostgreSQL connections, schema migrations from
 * {@code db/postgresql/V*.sql} (the same script names as H2's), and PostgreSQL's
 * {@link org.parley.server.storage.jdbc.Dialect}; the stores are the shared JDBC ones.
 */
package org.parley.server.storage.postgresql;
