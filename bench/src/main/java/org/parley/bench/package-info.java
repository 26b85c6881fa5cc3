/**
 * The load generator of the comparison harness (bench/run.sh): scenarios (1:1 messages, idle connections, group
 * fan-out, history, reconnect storm) written once against {@link org.parley.bench.Target}, which Parley (through
 * its client core) and the XMPP servers (through {@link org.parley.bench.xmpp}) implement; end-to-end latency with
 * HdrHistogram from each message's intended send time (no coordinated omission); CPU and memory from /proc; one
 * JSON line per measurement, turned into tables and charts by {@link org.parley.bench.Report}.
 */
package org.parley.bench;
