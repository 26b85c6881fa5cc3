/**
 * A small XMPP client driver on MINA for the benchmark (ejabberd, Prosody): just the stream, registration, login,
 * chat, multi-user chat and archive flows the scenarios need; see docs/decisions/bench-xmpp-driver.md.
 */
package org.parley.bench.xmpp;
