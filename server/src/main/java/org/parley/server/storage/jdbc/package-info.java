/**
 * What the SQL storage adapters share: one store class per feature port written once in SQL that H2 and PostgreSQL
 * both accept, the transaction and error plumbing ({@link org.parley.server.storage.jdbc.Jdbc}), the schema
 * migrations runner (one list of scripts, one folder per dialect) and the {@link
 * org.parley.server.storage.jdbc.Dialect} that holds the few statements that differ.
 */
package org.parley.server.storage.jdbc;
