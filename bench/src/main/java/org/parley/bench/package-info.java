/**
 * Parley's load generator: drives a running server through the client core (many clients on one shared
 * connector) and measures end-to-end latency with HdrHistogram, corrected for coordinated omission.
 */
package org.parley.bench;
