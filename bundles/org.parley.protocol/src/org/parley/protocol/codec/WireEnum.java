package org.parley.protocol.codec;

/** An enum sent on the wire as an unsigned 16-bit code that never changes, whatever the constant's position. */
public interface WireEnum {

    /** The stable code of this constant. */
    int wireCode();
}
