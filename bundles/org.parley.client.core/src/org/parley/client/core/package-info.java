/**
 * Parley's non-UI client: connects to a server (TLS with the server's certificate pinned on first use), logs in,
 * reconnects by itself and resynchronizes, and publishes events that UI bundles and plain-Java programs
 * (tests, benchmarks, bots) subscribe to.
 */
package org.parley.client.core;
