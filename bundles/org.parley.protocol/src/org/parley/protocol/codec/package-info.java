/**
 * The binary encoding of message bodies, independent of any network library: primitives
 * ({@link org.parley.protocol.codec.WireWriter}, {@link org.parley.protocol.codec.WireReader}) and the
 * record codec ({@link org.parley.protocol.codec.WireCodec}) that encodes a record's components in order.
 */
package org.parley.protocol.codec;
