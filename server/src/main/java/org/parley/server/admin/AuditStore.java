package org.parley.server.admin;

import java.util.List;

/** Storage port of the audit log. */
public interface AuditStore {

    /** Appends an entry (its id is assigned) and returns it with its id. */
    AuditEntry append(long at, String actor, String action, String target, String detail);

    /** Entries with an id below {@code beforeId} (0 = from the newest), newest first, at most {@code limit}. */
    List<AuditEntry> page(long beforeId, int limit);
}
