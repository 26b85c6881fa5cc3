/**
 * The network edge: the MINA acceptor and its filter chain (TLS, frame codec, ordered executor), the per-connection
 * state machine that turns frames into calls of the feature services, TLS key material, and per-connection rate
 * limiting. Nothing else in the server knows about MINA.
 */
package org.parley.server.wire;
