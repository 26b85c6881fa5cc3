package org.parley.protocol.codec;

/**
 * A record whose content depends on the protocol version it is written in (not only which components are written):
 * before writing it, the codec asks it for the value to write in that version. A record uses it to give an older
 * version something valid where its newer content cannot be encoded there (an enum code the older version lacks).
 */
public interface VersionAware {

    /** The record to write in {@code version} instead of this one (this one when nothing differs); same type. */
    Object forVersion(int version);
}
