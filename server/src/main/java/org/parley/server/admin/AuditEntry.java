package org.parley.server.admin;

/** One administrative action in the audit log: who ({@code actor}), what, when (epoch ms), to whom. */
public record AuditEntry(long id, long at, String actor, String action, String target, String detail) {
}
