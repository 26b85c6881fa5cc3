package org.parley.protocol.message;

/** Marker of a top-level protocol message: one frame carries exactly one. */
public interface Message {
}
