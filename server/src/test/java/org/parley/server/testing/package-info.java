/**
 * Test support shipped in the server's test-jar: {@link org.parley.server.testing.ParleyServerExtension} starts a
 * real server on a loopback port with a fresh data directory, and {@link
 * org.parley.server.testing.TestConnection} is a small blocking protocol client for server-level tests.
 */
package org.parley.server.testing;
