package org.parley.server.storage.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;

import org.h2.Driver;
import org.parley.server.common.StorageException;
import org.parley.server.storage.jdbc.Connections;

/**
 * Embedded H2 sessions, reused. Not H2's {@code JdbcConnectionPool}: that one rolls a session back when it is taken
 * and again when it is given back, and with {@code WRITE_DELAY=0} every rollback makes the MVStore write everything
 * pending to the file (H2 treats a rollback as a change), so each read-only request paid for a store of other
 * threads' pages: 73 % of the request workers' time in the 1:1 benchmark. Here a session is given back as it was
 * taken (auto-commit on, no open transaction: {@code Jdbc} commits or rolls back itself), so a read costs a read.
 * A session that was closed underneath (H2 closes the database after a failed write) is dropped, and the next
 * borrow opens a new one, which reopens the database.
 */
final class ConnectionPool implements Connections, AutoCloseable {

    private final String url;
    private final Properties credentials = new Properties();
    private final int max;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;

    ConnectionPool(String url, String user, String password, int max) {
        this.url = url;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        this.max = max;
    }

    /** An idle session, a new one while fewer than {@code max} are open, or the next one given back. */
    @Override
    public Connection borrow() throws SQLException {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new StorageException("storage is closed");
                }
                Connection c = idle.pollFirst();
                if (c != null) {
                    return c;
                }
                if (open < max) {
                    open++;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while waiting for a database session");
                }
            }
        }
        try {
            return new Driver().connect(url, credentials);
        } catch (SQLException | RuntimeException e) {
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw e;
        }
    }

    /** Gives a session back: kept if it is usable and was left in auto-commit mode, else closed. */
    @Override
    public void release(Connection c) {
        boolean keep;
        try {
            keep = !c.isClosed() && c.getAutoCommit();
        } catch (SQLException e) {
            keep = false;
        }
        synchronized (this) {
            if (keep && !closed) {
                idle.addFirst(c); // the most recently used first: its caches are warm
                notifyAll();
                return;
            }
            open--;
            notifyAll();
        }
        closeQuietly(c);
    }

    @Override
    public void close() {
        Deque<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            open -= idle.size();
            idle.clear();
            notifyAll();
        }
        toClose.forEach(ConnectionPool::closeQuietly);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // a session of a database that is already gone
        }
    }
}
