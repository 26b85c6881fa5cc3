/**
 * The embedded H2 adapter of the storage boundary: one H2 file database in the server's data directory, its own
 * small connection pool, schema migrations from {@code db/h2/V*.sql}, and H2's {@link
 * org.parley.server.storage.jdbc.Dialect}; the stores themselves are the shared JDBC ones
 * ({@code org.parley.server.storage.jdbc}).
 */
package org.parley.server.storage.h2;
