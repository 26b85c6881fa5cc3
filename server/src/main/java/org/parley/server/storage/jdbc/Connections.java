package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where {@link Jdbc} gets its connections: a pool. A connection is taken in auto-commit mode and given back in it
 * ({@link Jdbc} opens and ends each transaction itself).
 */
public interface Connections {

    Connection borrow() throws SQLException;

    /** Gives back a connection from {@link #borrow()}; the pool decides whether to keep it. */
    void release(Connection c);
}
