/**
 * The embedded H2 adapter of the storage boundary: one H2 file database in the server's data directory, schema
 * migrations from {@code db/h2/V*.sql}, and one store class per feature port.
 */
package org.parley.server.storage.h2;
