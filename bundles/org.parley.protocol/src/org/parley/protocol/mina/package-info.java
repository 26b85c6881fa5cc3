/**
 * The protocol as an Apache MINA codec filter, used by both the server's acceptor and the client's connector.
 */
package org.parley.protocol.mina;
