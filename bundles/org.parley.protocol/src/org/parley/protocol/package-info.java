/**
 * Parley's wire protocol, shared by the OSGi client and the plain-Java server: frame layout constants,
 * protocol versions, error codes and the registry that maps message types to their numeric codes.
 * The full specification, with an annotated example of every message, is {@code docs/protocol.md}.
 */
package org.parley.protocol;
