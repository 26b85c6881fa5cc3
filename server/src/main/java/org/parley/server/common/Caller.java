package org.parley.server.common;


/**
 * The logged-in account a request comes from, and the connection it came on (so that a service can answer
 * on it, or leave it out of a fan-out).
 */
public record Caller(long accountId, String userName, boolean admin, ClientLink link) {
}
